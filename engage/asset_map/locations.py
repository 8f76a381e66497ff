"""Keeping each location's areas right: assigned when it is saved and when areas change."""

from collections.abc import Sequence

from sqlalchemy import delete, insert, select

from engage.asset_map.models import Location, location_areas
from engage.extensions import db
from engage.geo.lookup import area_index
from engage.geo.models import Area


def assign_areas(locations: Sequence[Location]) -> None:
    """Set the areas of these locations (flushed, not committed: the caller's transaction)."""
    located = [loc for loc in locations if loc.latitude is not None and loc.longitude is not None]
    if not located:
        return
    db.session.flush()
    matches = area_index().assign(  # every one of `located` has both
        [loc.longitude for loc in located if loc.longitude is not None],
        [loc.latitude for loc in located if loc.latitude is not None],
    )
    ids = [loc.id for loc in located]
    db.session.execute(delete(location_areas).where(location_areas.c.location_id.in_(ids)))
    rows = [
        {"location_id": loc.id, "area_id": shape.area_id}
        for loc, shapes in zip(located, matches, strict=True)
        for shape in shapes
    ]
    if rows:
        db.session.execute(insert(location_areas), rows)
    council_of = _councils(list({shape.area_id for shapes in matches for shape in shapes}))
    for loc, shapes in zip(located, matches, strict=True):
        if not loc.state_province:
            loc.state_province = next(
                (council_of[s.area_id] for s in shapes if council_of.get(s.area_id)), ""
            )
        db.session.expire(loc, ["areas"])


def _councils(area_ids: list[int]) -> dict[int, str]:
    """The council each area is in: a location's county or unitary authority for its address."""
    if not area_ids:
        return {}
    rows = db.session.execute(select(Area.id, Area.council).where(Area.id.in_(area_ids)))
    return {row.id: row.council for row in rows if row.council}


def reassign_all_areas(batch: int = 5000) -> int:
    """After an area import: every location's areas again. Returns how many were placed."""
    last_id, count = 0, 0
    while True:
        chunk = list(
            db.session.scalars(
                select(Location).where(Location.id > last_id).order_by(Location.id).limit(batch)
            )
        )
        if not chunk:
            break
        assign_areas(chunk)
        count += len(chunk)
        last_id = chunk[-1].id
    db.session.commit()
    return count
