"""Keeping listings true: officers edit directly; providers propose changes that an officer
approves field by field; anyone responsible can confirm a listing is still correct; every
change is kept as a revision."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.asset_map.fields import (
    OPENING,
    PLAIN,
    is_simple,
    replace_opening_times,
    schedule_line,
    set_categories,
    set_languages,
    set_phone,
)
from engage.asset_map.locations import assign_areas
from engage.asset_map.models import (
    Location,
    Organisation,
    OrganisationMember,
    ProblemReport,
    ProposedChange,
    Service,
    ServiceRevision,
    TaxonomyTerm,
)
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.geo.geometry import coordinate_problem
from engage.geo.places import normalise_postcode

EDITABLE = (
    *PLAIN,
    "description_pl",
    "cost_description",
    "languages",
    "email",
    "phone",
    "url",
    "categories",
    "opening_times",
)
OPTIONAL_TEXT = ("cost_description", "email", "phone", "url")


class EditError(UserError):
    """A change that cannot be made; the message says why, `field` says where (if one)."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    current: Any  # the value now, which may differ from `before` if someone edited since


def snapshot(service: Service) -> dict[str, Any]:
    """The editable fields as plain values (lists for languages, categories, opening times)."""
    return {
        "name": service.name,
        "description": service.description,
        "description_pl": service.description_pl,
        "status": service.status,
        "eligibility": service.eligibility,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "free": service.free,
        "cost_description": service.cost_description or "",
        "access": service.access,
        "languages": service.language_codes,
        "prevention_level": service.prevention_level,
        "email": service.email or "",
        "phone": service.phone or "",
        "url": service.url or "",
        "categories": sorted(t.id for t in service.categories),
        "opening_times": [schedule_line(s) for s in service.schedules if is_simple(s)],
    }


def parse_opening_times(text: str) -> list[str]:
    """Lines like `MO 18:00-20:00`, one opening each; EditError names a bad line."""
    lines = [line.strip().upper() for line in re.split(r"[\n;]", text) if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = OPENING.match(line)
        if not match or f"{match[2]}:{match[3]}" >= f"{match[4]}:{match[5]}":
            raise EditError(
                _(
                    "Opening time %(n)d, “%(line)s”, should look like MO 18:00-20:00",
                    n=number,
                    line=line,
                )
            )
    return [OPENING.sub(r"\1 \2:\3-\4:\5", line) for line in lines]


def coordinate_message(code: str) -> str:
    return {
        "missing": _("Give both latitude and longitude, or neither"),
        "not_finite": _("Latitude and longitude must be numbers"),
        "swapped": _("Latitude and longitude look swapped: latitude is about 52 here"),
        "outside_uk": _("The point is outside the UK"),
    }[code]


def check(values: dict[str, Any]) -> None:
    """Rules across fields that a single form field cannot check."""
    low, high = values.get("minimum_age"), values.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise EditError(_("The minimum age must not be more than the maximum age"), "maximum_age")
    if not values.get("free") and not (values.get("cost_description") or "").strip():
        raise EditError(_("Say what it costs, or tick that it is free"), "cost_description")
    known = set(
        db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.vocabulary == "engage"))
    )
    unknown = set(values.get("categories", [])) - known
    if unknown:
        message = _("Unknown type of support: %(ids)s", ids=", ".join(sorted(unknown)))
        raise EditError(message, "categories")
    if not values.get("categories"):
        raise EditError(_("Choose at least one type of support"), "categories")


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {key: after[key] for key in EDITABLE if key in after and after[key] != before.get(key)}


def _apply(service: Service, values: dict[str, Any]) -> None:
    special = ("languages", "categories", "opening_times", "phone")
    plain = {k: v for k, v in values.items() if k not in special}
    for key, value in plain.items():
        setattr(service, key, None if value == "" and key in OPTIONAL_TEXT else value)
    if "phone" in values:
        set_phone(service, values["phone"] or None)
    if "languages" in values:
        set_languages(service, values["languages"])
    if "categories" in values:
        set_categories(service, values["categories"])
    if "opening_times" in values:
        replace_opening_times(service, values["opening_times"])
    service.updated_at = utcnow()


def _revise(service: Service, actor: User | None, source: str, before: dict, changes: dict) -> None:
    diff = {key: [before.get(key), value] for key, value in changes.items()}
    db.session.add(ServiceRevision(service=service, changed_by=actor, source=source, changes=diff))


def _assure(service: Service, actor: User, today: date) -> None:
    service.assured_date = today
    service.assured_by = actor.display_name


def is_member(user: User, organisation: Organisation) -> bool:
    return (
        db.session.scalar(
            select(OrganisationMember.id).where(
                OrganisationMember.user_id == user.id,
                OrganisationMember.organisation_id == organisation.id,
                OrganisationMember.status == "approved",
            )
        )
        is not None
    )


def can_edit_directly(user: User) -> bool:
    return user.role in (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


@transactional
def edit_service(officer: User, service: Service, values: dict[str, Any], today: date) -> int:
    """An officer's edit: applied at once, recorded, and counted as a check of the listing."""
    check({**snapshot(service), **values})
    before = snapshot(service)
    changes = changed_fields(before, values)
    _apply(service, changes)
    _assure(service, officer, today)
    _revise(service, officer, "officer", before, changes)
    return len(changes)


@transactional
def create_service(
    officer: User,
    organisation_name: str,
    values: dict[str, Any],
    location: dict[str, Any] | None,
    today: date,
) -> Service:
    """An officer adds a listing (and its organisation, if new) with one location or none."""
    check(values)
    name = organisation_name.strip()
    organisation = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    ) or Organisation(name=name)
    service = Service(organisation=organisation, name=values["name"])
    db.session.add(service)
    _apply(service, values)
    if location:
        service.locations = [_location(location)]
        assign_areas(service.locations)
    service.virtual = not service.locations
    _assure(service, officer, today)
    _revise(service, officer, "officer", {}, values)
    return service


def _location(values: dict[str, Any]) -> Location:
    lat, lon = values.get("latitude"), values.get("longitude")
    if lat is not None or lon is not None:
        code = coordinate_problem(lat, lon)
        if code:
            raise EditError(coordinate_message(code), "latitude")
    postcode = values.get("postcode") or ""
    if postcode and normalise_postcode(postcode) is None:
        raise EditError(_("Enter a UK postcode, like NN14 6AB"), "postcode")
    return Location(
        name=values.get("name") or "",
        address_1=values.get("address") or "",
        city=values.get("city") or "",
        postcode=normalise_postcode(postcode) or "",
        latitude=lat,
        longitude=lon,
    )


@transactional
def propose_change(provider: User, service: Service, values: dict[str, Any]) -> ProposedChange:
    """A provider's edit, held for an officer to approve; nothing changes on the site yet."""
    if not is_member(provider, service.organisation):
        raise EditError(_("You can only change listings of organisations you look after"))
    check({**snapshot(service), **values})
    before = snapshot(service)
    changes = changed_fields(before, values)
    if not changes:
        raise EditError(_("You have not changed anything"))
    proposal = ProposedChange(
        service=service,
        proposed_by=provider,
        before={key: before[key] for key in changes},
        after=changes,
    )
    db.session.add(proposal)
    return proposal


def proposal_diff(proposal: ProposedChange) -> list[FieldChange]:
    current = snapshot(proposal.service)
    return [
        FieldChange(key, proposal.before.get(key), value, current.get(key))
        for key, value in proposal.after.items()
    ]


@transactional
def decide_proposal(
    officer: User, proposal: ProposedChange, approve: bool, reason: str, today: date
) -> None:
    if proposal.status != "pending":
        raise EditError(_("This change has already been decided"))
    proposal.status = "approved" if approve else "rejected"
    proposal.decided_by_id, proposal.decided_at, proposal.reason = officer.id, utcnow(), reason
    if approve:
        service = proposal.service
        before = snapshot(service)
        check({**before, **proposal.after})
        _apply(service, proposal.after)
        _assure(service, proposal.proposed_by, today)
        _revise(service, officer, "proposal", before, proposal.after)


@transactional
def confirm_still_correct(user: User, service: Service, today: date) -> None:
    """One click: the listing was checked today by someone responsible for it."""
    if not (can_edit_directly(user) or is_member(user, service.organisation)):
        raise EditError(_("You can only confirm listings of organisations you look after"))
    before = service.assured_date.isoformat() if service.assured_date else None
    _assure(service, user, today)
    db.session.add(
        ServiceRevision(
            service=service,
            changed_by=user,
            source="confirm",
            changes={"assured_date": [before, today.isoformat()]},
        )
    )


@transactional
def claim_organisation(
    provider: User, organisation: Organisation, reason: str
) -> OrganisationMember:
    existing = db.session.scalar(
        select(OrganisationMember).where(
            OrganisationMember.user_id == provider.id,
            OrganisationMember.organisation_id == organisation.id,
            OrganisationMember.status.in_(["pending", "approved"]),
        )
    )
    if existing:
        raise EditError(_("You have already asked to look after this organisation"))
    claim = OrganisationMember(organisation=organisation, user=provider, reason=reason.strip())
    db.session.add(claim)
    return claim


@transactional
def decide_claim(officer: User, claim: OrganisationMember, approve: bool) -> None:
    if claim.status != "pending":
        raise EditError(_("This request has already been decided"))
    claim.status = "approved" if approve else "rejected"
    claim.decided_by_id, claim.decided_at = officer.id, utcnow()


@transactional
def resolve_problem(officer: User, report: ProblemReport, outcome: str, note: str) -> None:
    if outcome not in ("resolved", "dismissed"):
        raise EditError(_("Choose what happened to the report"))
    report.status, report.resolution = outcome, note.strip()
    report.resolved_by_id, report.resolved_at = officer.id, utcnow()


def pending_proposals() -> list[ProposedChange]:
    query = select(ProposedChange).where(ProposedChange.status == "pending")
    return list(db.session.scalars(query.order_by(ProposedChange.created_at)))


def pending_claims() -> list[OrganisationMember]:
    query = select(OrganisationMember).where(OrganisationMember.status == "pending")
    return list(db.session.scalars(query.order_by(OrganisationMember.created_at)))


def open_problems() -> list[ProblemReport]:
    query = select(ProblemReport).where(ProblemReport.status == "open")
    return list(db.session.scalars(query.order_by(ProblemReport.created_at)))


def organisations_of(user: User) -> list[Organisation]:
    query = (
        select(Organisation)
        .join(OrganisationMember)
        .where(OrganisationMember.user_id == user.id, OrganisationMember.status == "approved")
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query))


def revisions(service: Service) -> list[ServiceRevision]:
    query = select(ServiceRevision).where(ServiceRevision.service_id == service.id)
    return list(db.session.scalars(query.order_by(ServiceRevision.changed_at.desc())))
