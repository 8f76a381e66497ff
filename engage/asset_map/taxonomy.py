"""Our categories and other directories' terms: the categories' own taxonomy, the terms an
import brings, and an officer's mapping of those terms to our categories (kept for next
time and applied to every service that carries the term)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from engage.asset_map.models import Taxonomy, TaxonomyTerm, service_taxonomy
from engage.asset_map.oruk.ids import derived
from engage.database import transactional
from engage.errors import UserError
from engage.extensions import db

OURS = "engage"


class MappingError(UserError):
    """A mapping that cannot be saved."""


def categories_taxonomy() -> Taxonomy:
    """Our categories' taxonomy, created the first time it is needed."""
    found = db.session.scalar(select(Taxonomy).where(Taxonomy.vocabulary == OURS))
    if found is None:
        found = Taxonomy(
            oruk_id=derived("taxonomy", OURS),
            vocabulary=OURS,
            name="Engage categories",
            description="The types of support the local asset map is organised by.",
        )
        db.session.add(found)
    return found


def category(term_id: str, name: str, description: str = "") -> TaxonomyTerm:
    """One of our categories, added if it is new (its uuid follows from its readable id)."""
    term = db.session.get(TaxonomyTerm, term_id)
    if term is None:
        term = TaxonomyTerm(
            id=term_id,
            oruk_id=derived("term", term_id),
            name=name,
            description=description,
            vocabulary=OURS,
            taxonomy=categories_taxonomy(),
        )
        db.session.add(term)
    return term


def categories() -> list[TaxonomyTerm]:
    query = select(TaxonomyTerm).where(TaxonomyTerm.vocabulary == OURS)
    return list(db.session.scalars(query.order_by(TaxonomyTerm.name)))


@dataclass
class TermToMap:
    term: TaxonomyTerm
    services: int
    mapped_to: list[TaxonomyTerm]


def terms_to_map() -> list[TermToMap]:
    """Other directories' terms on our services, unmapped first, with how many use each."""
    counts = dict(
        db.session.execute(
            select(service_taxonomy.c.taxonomy_term_id, func.count()).group_by(
                service_taxonomy.c.taxonomy_term_id
            )
        )
        .tuples()
        .all()
    )
    terms = db.session.scalars(
        select(TaxonomyTerm)
        .where(TaxonomyTerm.vocabulary != OURS)
        .order_by(TaxonomyTerm.vocabulary, TaxonomyTerm.name)
    )
    found = [TermToMap(t, counts.get(t.id, 0), list(t.categories)) for t in terms]
    return sorted(found, key=lambda item: (bool(item.mapped_to), -item.services))


@transactional
def map_term(term: TaxonomyTerm, category_ids: list[str]) -> int:
    """Read another directory's term as these categories from now on, and add them to every
    service already carrying it; returns how many services gained a category."""
    if term.is_category:
        raise MappingError(_("This is one of our own categories"), "categories")
    chosen = [db.session.get(TaxonomyTerm, c) for c in category_ids]
    categories = [c for c in chosen if c is not None and c.is_category]
    if len(categories) != len(chosen):
        raise MappingError(_("Choose from our categories"), "categories")
    term.categories = categories
    return apply_mapping(term)


def apply_mapping(term: TaxonomyTerm) -> int:
    carrying = select(service_taxonomy.c.service_id).where(
        service_taxonomy.c.taxonomy_term_id == term.id
    )
    added = 0
    for chosen in term.categories:
        have = select(service_taxonomy.c.service_id).where(
            service_taxonomy.c.taxonomy_term_id == chosen.id
        )
        missing = list(
            db.session.scalars(carrying.where(service_taxonomy.c.service_id.not_in(have)))
        )
        if missing:
            db.session.execute(
                insert(service_taxonomy),
                [{"service_id": sid, "taxonomy_term_id": chosen.id} for sid in missing],
            )
            added += len(missing)
    return added
