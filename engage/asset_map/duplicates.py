"""Harvested services that look like one of our own listings (a similar name, and the same
postcode, organisation, phone, email or website), for an officer to merge or dismiss."""

import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import selectinload

from engage.accounts.models import User
from engage.asset_map.models import (
    DuplicateCandidate,
    FeedSource,
    FreshnessReminder,
    Location,
    ProblemReport,
    ProposedChange,
    RemoteRecord,
    Service,
    ServiceRevision,
    service_at_location,
)
from engage.asset_map.vocabulary import DuplicateStatus
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db

LIKELY = 0.75
WORDS = re.compile(r"[a-z0-9]+")
COMMON = {"the", "and", "of", "for", "in", "at", "a", "to", "club", "group", "service", "centre"}


class MergeError(UserError):
    """A likely duplicate that cannot be merged or dismissed."""


@dataclass(frozen=True)
class Facts:
    service_id: int
    name: str
    words: frozenset[str]
    postcodes: frozenset[str]
    organisation: str
    contacts: frozenset[str]


def _facts(service: Service) -> Facts:
    name = " ".join(WORDS.findall(service.name.lower()))
    contacts = {c.lower() for c in (service.email, service.url, service.phone) if c}
    return Facts(
        service.id,
        name,
        frozenset(WORDS.findall(name)) - COMMON,
        frozenset(loc.postcode.replace(" ", "") for loc in service.locations if loc.postcode),
        service.organisation.name.lower(),
        frozenset(contacts),
    )


def likeness(a: Facts, b: Facts) -> tuple[float, list[str]]:
    """How alike two listings are (0 to about 2), and why."""
    score = SequenceMatcher(None, a.name, b.name).ratio()
    reasons = [f"name {round(score * 100)}%"]
    for shared, label, weight in (
        (a.postcodes & b.postcodes, "same postcode", 0.3),
        (a.organisation == b.organisation, "same organisation", 0.2),
        (a.contacts & b.contacts, "same phone, email or website", 0.3),
    ):
        if shared:
            score += weight
            reasons.append(label)
    return score, reasons


def _loaded(ids: list[int]) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.id.in_(ids))
            .options(
                selectinload(Service.locations),
                selectinload(Service.organisation),
                selectinload(Service.phones),
            )
        )
    )


def find_duplicates(source: FeedSource, harvested_ids: list[int]) -> int:
    """Record likely duplicates among our own (not harvested) listings; returns how many new."""
    if not harvested_ids:
        return 0
    harvested = exists().where(RemoteRecord.kind == "service", RemoteRecord.local_id == Service.id)
    local = [
        _facts(s) for s in _loaded(list(db.session.scalars(select(Service.id).where(~harvested))))
    ]
    by_word: dict[str, list[Facts]] = defaultdict(list)
    for facts in local:
        for word in facts.words | facts.postcodes:
            by_word[word].append(facts)
    known = set(
        db.session.execute(
            select(DuplicateCandidate.harvested_id, DuplicateCandidate.local_id)
        ).tuples()
    )
    added = 0
    for service in _loaded(harvested_ids):
        mine = _facts(service)
        candidates = {f.service_id: f for w in mine.words | mine.postcodes for f in by_word[w]}
        for other in candidates.values():
            score, reasons = likeness(mine, other)
            if score >= LIKELY and (service.id, other.service_id) not in known:
                db.session.add(
                    DuplicateCandidate(
                        harvested_id=service.id,
                        local_id=other.service_id,
                        score=score,
                        reasons=reasons,
                    )
                )
                known.add((service.id, other.service_id))
                added += 1
    db.session.commit()
    return added


def open_duplicates() -> list[DuplicateCandidate]:
    query = select(DuplicateCandidate).where(DuplicateCandidate.status == DuplicateStatus.OPEN)
    return list(db.session.scalars(query.order_by(DuplicateCandidate.score.desc())))


@transactional
def merge(officer: User, candidate: DuplicateCandidate) -> Service:
    """Keep our listing; the feed's record now means it (and is never written over it), and
    the harvested copy goes, with its other likely duplicates. What was said about the copy
    (reports, proposals, history) moves to our listing."""
    if candidate.status != DuplicateStatus.OPEN:
        raise MergeError(_("This has already been decided"))
    kept, copy = candidate.local, candidate.harvested
    db.session.execute(
        update(RemoteRecord)
        .where(RemoteRecord.kind == "service", RemoteRecord.local_id == copy.id)
        .values(local_id=kept.id, merged=True)
    )
    places = [loc.id for loc in copy.locations]
    for model in (ProblemReport, ProposedChange, ServiceRevision, FreshnessReminder):
        db.session.execute(
            update(model).where(model.service_id == copy.id).values(service_id=kept.id)
        )
    db.session.execute(delete(DuplicateCandidate).where(DuplicateCandidate.harvested_id == copy.id))
    db.session.flush()
    db.session.delete(copy)
    db.session.flush()
    _drop_unused_places(places)
    return kept


def _drop_unused_places(location_ids: list[int]) -> None:
    used = select(service_at_location.c.location_id)
    db.session.execute(
        delete(Location).where(Location.id.in_(location_ids), Location.id.not_in(used))
    )


@transactional
def dismiss(officer: User, candidate: DuplicateCandidate) -> None:
    if candidate.status != DuplicateStatus.OPEN:
        raise MergeError(_("This has already been decided"))
    candidate.status, candidate.decided_by_id, candidate.decided_at = (
        DuplicateStatus.DISMISSED,
        officer.id,
        utcnow(),
    )
