"""Finding records by the ids the API is asked for (old ids still resolve), and the Level 2
lists: organisations, taxonomies and taxonomy terms."""

from dataclasses import dataclass
from math import ceil
from typing import Any, ClassVar, Protocol

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Mapped, selectinload

from engage.asset_map import loading
from engage.asset_map.api.params import OrganizationQuery, Paging, TaxonomyTermQuery
from engage.asset_map.models import IdAlias, Organisation, Service, Taxonomy, TaxonomyTerm
from engage.asset_map.oruk import publish
from engage.asset_map.oruk import schema as o
from engage.asset_map.oruk.schema import dump
from engage.extensions import db


@dataclass(frozen=True)
class Moved:
    """The record is now known by another id: the API answers with a redirect."""

    oruk_id: str


def page(contents: list[Any], total: int, paging: Paging) -> dict[str, Any]:
    pages = max(1, ceil(total / paging.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def paged(query: Select, paging: Paging) -> tuple[list[Any], int]:
    """One page of the query's rows and how many there are in all."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(
        query.offset((paging.page - 1) * paging.per_page).limit(paging.per_page)
    )
    return list(rows), total or 0


def alias_of(kind: str, given: str) -> str | None:
    found = db.session.get(IdAlias, (kind, given))
    return found.oruk_id if found else None


def usable(given: str) -> bool:
    """An id a database can be asked about (no NUL character, not absurdly long)."""
    return "\x00" not in given and len(given) <= 200


class Published(Protocol):
    """A model the API publishes, under the uuid in its `oruk_id` column."""

    oruk_id: ClassVar[Mapped[str]]


def find(model: type[Published], kind: str, given: str, *options: Any) -> Any:
    """The record with this uuid; Moved if `given` is an id it had before; None if unknown."""
    if not usable(given):
        return None
    record = db.session.scalar(select(model).where(model.oruk_id == given).options(*options))
    if record is not None:
        return record
    moved = alias_of(kind, given)
    return Moved(moved) if moved else None


def organisation_id_of(given: str) -> Any:
    """The local id of the organisation an API id names (by uuid or an old id)."""
    oruk_id = alias_of("organisation", given) or given
    return select(Organisation.id).where(Organisation.oruk_id == oruk_id).scalar_subquery()


def term_ids_of(given: str) -> Any:
    """Our term ids for an API term id: its uuid, or (as before uuids) its readable id."""
    return select(TaxonomyTerm.id).where(
        or_(TaxonomyTerm.oruk_id == given, TaxonomyTerm.id == given)
    )


def taxonomy_ids_of(given: str) -> Any:
    return select(Taxonomy.id).where(or_(Taxonomy.oruk_id == given, Taxonomy.vocabulary == given))


def organisations_page(query: OrganizationQuery) -> dict[str, Any]:
    statement = select(Organisation).order_by(Organisation.name, Organisation.id)
    for word in (query.search or "").lower().split():
        pattern = f"%{escape_like(word)}%"
        statement = statement.where(
            or_(
                func.lower(Organisation.name).like(pattern, escape="\\"),
                func.lower(Organisation.description).like(pattern, escape="\\"),
            )
        )
    organisations, total = paged(statement, query)
    return page([dump(publish.organisation_summary(o)) for o in organisations], total, query)


def organisation_detail(organisation: Organisation, full_service: bool) -> dict[str, Any]:
    options = loading.everything() if full_service else (selectinload(Service.organisation),)
    services = list(
        db.session.scalars(
            select(Service)
            .where(Service.organisation_id == organisation.id)
            .order_by(Service.name, Service.id)
            .options(*options)
        )
    )
    if full_service:
        links = publish.links_of([s.id for s in services])
        nested = [publish.service(s, links, with_organisation=False) for s in services]
    else:
        nested = [
            o.Service.model_validate(
                publish.service_summary(s).model_dump(exclude_none=True, exclude={"organization"})
            )
            for s in services
        ]
    return dump(publish.organisation(organisation, nested))


def taxonomies_page(paging: Paging) -> dict[str, Any]:
    taxonomies, total = paged(select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id), paging)
    return page([dump(publish.taxonomy(t)) for t in taxonomies], total, paging)


def taxonomy_detail(taxonomy: Taxonomy) -> dict[str, Any]:
    terms = db.session.scalars(
        select(TaxonomyTerm)
        .where(TaxonomyTerm.taxonomy_id == taxonomy.id)
        .order_by(TaxonomyTerm.name)
        .options(selectinload(TaxonomyTerm.parent), selectinload(TaxonomyTerm.taxonomy))
    )
    return dump(publish.taxonomy(taxonomy, list(terms)))


def terms_page(query: TaxonomyTermQuery) -> dict[str, Any]:
    statement = (
        select(TaxonomyTerm)
        .order_by(TaxonomyTerm.vocabulary != "engage", TaxonomyTerm.name, TaxonomyTerm.id)
        .options(selectinload(TaxonomyTerm.parent), selectinload(TaxonomyTerm.taxonomy))
    )
    if query.taxonomy_id:
        statement = statement.where(
            TaxonomyTerm.taxonomy_id.in_(taxonomy_ids_of(query.taxonomy_id))
        )
    terms, total = paged(statement, query)
    return page([dump(publish.taxonomy_term(t)) for t in terms], total, query)


def find_term(given: str) -> TaxonomyTerm | None:
    if not usable(given):
        return None
    return db.session.scalar(
        select(TaxonomyTerm).where(TaxonomyTerm.id.in_(term_ids_of(given))).limit(1)
    )


def escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
