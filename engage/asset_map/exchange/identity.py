"""Which of our records a file's id means: our uuid, an id the record had before, or an id
another directory gave it when we first imported it (kept as an alias, so importing the same
file again updates rather than duplicates)."""

from collections.abc import Iterable

from sqlalchemy import select

from engage.asset_map.models import IdAlias, new_uuid
from engage.asset_map.oruk.ids import derived, is_uuid
from engage.extensions import db


def known_as(kind: str, given: Iterable[str]) -> dict[str, str]:
    """For each id in a file, the uuid it stands for (itself, when it is a uuid)."""
    wanted = {g for g in given if g}
    found = {g: g.lower() for g in wanted if is_uuid(g)}
    others = [g for g in wanted if g not in found]
    for start in range(0, len(others), 500):
        chunk = others[start : start + 500]
        rows = db.session.scalars(
            select(IdAlias).where(IdAlias.kind == kind, IdAlias.alias.in_(chunk))
        )
        found.update({row.alias: row.oruk_id for row in rows})
    return found


def new_id(kind: str, given: str | None, taken: set[str] | None = None) -> str:
    """The uuid for a record a file brings: its own id when that is a free uuid; otherwise
    one derived from the id, remembered as an alias so the next import finds the record."""
    if given and is_uuid(given) and given.lower() not in (taken or set()):
        return given.lower()
    if not given:
        return new_uuid()
    oruk_id = derived("imported", kind, given)
    if db.session.get(IdAlias, (kind, given)) is None:
        db.session.add(IdAlias(kind=kind, alias=given[:200], oruk_id=oruk_id))
    return oruk_id
