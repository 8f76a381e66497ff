"""Privacy: contact details are erased 12 months (by default) after the last email sent to
that person; officers answer requests to see or erase everything linked to an email address.

What someone said that is held by the safeguarding lead never reaches an officer, even through
such a request: the officer sees how many items the lead holds and that the request went to
the lead, who alone reads them and decides what is released or erased, and records why."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from engage import once, tokens
from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.audit.logic import Action, record
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.models import (
    CaseAction,
    CaseStep,
    Contact,
    FeedbackItem,
    ItemStatus,
    PrivacyRequest,
    RequestKind,
    SafeguardingCase,
)
from engage.notifications.logic import queue_email
from engage.urls import external_url


class PrivacyError(UserError):
    """A privacy request that cannot be handled as asked."""


def _normal(email: str) -> str:
    return email.strip().lower()


def _contacts(email: str) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.email == _normal(email))))


def _all_items(email: str) -> list[FeedbackItem]:
    ids = [c.id for c in _contacts(email)]
    if not ids:
        return []
    query = select(FeedbackItem).where(FeedbackItem.contact_id.in_(ids)).order_by(FeedbackItem.id)
    return list(db.session.scalars(query))


@dataclass
class Found:
    """What an officer may see of a request: the items they may read, and only a count of
    those the safeguarding lead holds."""

    email: str
    items: list[FeedbackItem]
    held_by_lead: int
    passed: list[PrivacyRequest]  # requests already with the lead for this address


def find(email: str) -> Found:
    items = _all_items(email)
    held = [i for i in items if i.status == ItemStatus.SAFEGUARDING]
    passed = select(PrivacyRequest).where(PrivacyRequest.email == _normal(email))
    return Found(
        email=_normal(email),
        items=[i for i in items if i.status != ItemStatus.SAFEGUARDING],
        held_by_lead=len(held),
        passed=list(db.session.scalars(passed.order_by(PrivacyRequest.id))),
    )


def _item_json(item: FeedbackItem) -> dict:
    return {
        "id": item.id,
        "received_on": item.received_on.isoformat(),
        "text": item.text,
        "status": item.status,
        "themes": [t.name for t in item.themes],
        "area": item.area.name if item.area else None,
    }


@transactional
def export_for_email(officer: User, email: str) -> str:
    """Everything an officer may send for a subject-access request, as JSON. Items held by the
    safeguarding lead are left out and the request is passed to the lead."""
    found = find(email)
    passed = _pass_to_lead(officer, found, RequestKind.ACCESS)
    record(officer, Action.SUBJECT_ACCESS, ("fb_contacts", None), items=len(found.items),
           held_by_lead=found.held_by_lead)  # fmt: skip
    contacts = _contacts(email)
    return json.dumps(
        {
            "email": found.email,
            "contacts": [
                {
                    "consent": c.consent_text,
                    "language": c.locale,
                    "given_at": c.created_at.isoformat(),
                    "last_response_at": c.last_response_at.isoformat(),
                }
                for c in contacts
            ],
            "items": [_item_json(i) for i in found.items],
            "items_passed_to_safeguarding_lead": found.held_by_lead,
            "safeguarding_request": passed.id if passed else None,
        },
        ensure_ascii=False,
        indent=2,
    )


@dataclass
class Erased:
    items: int
    kept_for_safeguarding: int
    contacts: int


def _drop_contacts(contact_ids: list[int]) -> int:
    if not contact_ids:
        return 0
    db.session.execute(
        update(FeedbackItem).where(FeedbackItem.contact_id.in_(contact_ids)).values(contact_id=None)
    )
    for contact in db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))):
        db.session.delete(contact)
    return len(contact_ids)


@transactional
def erase_for_email(officer: User, email: str) -> Erased:
    """Erase what the officer may erase; items held by the lead lose the address and the
    request goes to the lead, who decides about them."""
    found = find(email)
    _pass_to_lead(officer, found, RequestKind.ERASURE)
    for item in found.items:
        db.session.delete(item)
    db.session.flush()
    erased = Erased(
        len(found.items), found.held_by_lead, _drop_contacts([c.id for c in _contacts(email)])
    )
    record(officer, Action.SUBJECT_ERASURE, ("fb_contacts", None), items=erased.items,
           held_by_lead=erased.kept_for_safeguarding)  # fmt: skip
    return erased


def _pass_to_lead(officer: User, found: Found, kind: RequestKind) -> PrivacyRequest | None:
    """Open a request for the lead (once per address and kind while undecided) and tell the
    leads by email, which says only that a request is waiting."""
    held = [i.id for i in _all_items(found.email) if i.status == ItemStatus.SAFEGUARDING]
    if not held:
        return None
    waiting = next((r for r in found.passed if r.kind == kind.value and r.decided_at is None), None)
    if waiting is not None:
        waiting.item_ids = sorted(set(waiting.item_ids) | set(held))
        return waiting
    request = PrivacyRequest(
        kind=kind.value, email=found.email, item_ids=held, passed_by_id=officer.id
    )
    db.session.add(request)
    db.session.flush()
    record(officer, Action.REQUEST_PASSED, request, items=len(held))
    leads = select(User).where(User.role == Role.SAFEGUARDING_LEAD.value, User.active.is_(True))
    for lead in db.session.scalars(leads):
        queue_email(
            lead.email,
            "privacy_request",
            lead.locale,
            display_name=lead.display_name,
            link=external_url("safeguarding.show_request", request_id=request.id),
        )
    return request


# The safeguarding lead's side


def requests(undecided_only: bool = False) -> list[PrivacyRequest]:
    query = select(PrivacyRequest).order_by(PrivacyRequest.id.desc())
    if undecided_only:
        query = query.where(PrivacyRequest.decided_at.is_(None))
    return list(db.session.scalars(query))


def request_items(request: PrivacyRequest) -> list[FeedbackItem]:
    query = select(FeedbackItem).where(FeedbackItem.id.in_(request.item_ids or [-1]))
    return list(db.session.scalars(query.order_by(FeedbackItem.id)))


@transactional
def read_request(lead: User, request: PrivacyRequest) -> list[FeedbackItem]:
    """The items a request touched, for the lead; the reading is logged."""
    record(lead, Action.REQUEST_READ, request, items=len(request.item_ids))
    return request_items(request)


@transactional
def decide(lead: User, request: PrivacyRequest, chosen_ids: list[int], note: str) -> None:
    """Record what is released (access) or erased (erasure). Holding anything back needs a
    note saying why."""
    if request.decided_at is not None:
        raise PrivacyError(_("This request has already been decided"))
    chosen = set(chosen_ids)
    if not chosen <= set(request.item_ids):
        raise PrivacyError(_("Choose from the items listed"), "chosen")
    if chosen != set(request.item_ids) and not note.strip():
        raise PrivacyError(_("Say why the other items are held back"), "note")
    request.chosen_ids = sorted(chosen)
    request.note = note.strip()
    request.decided_by_id, request.decided_at = lead.id, utcnow()
    if request.kind == RequestKind.ERASURE:
        _erase_held(lead, request, chosen)
    record(lead, Action.REQUEST_DECIDED, request, chosen=len(chosen),
           held_back=len(request.item_ids) - len(chosen))  # fmt: skip


def _erase_held(lead: User, request: PrivacyRequest, chosen: set[int]) -> None:
    """The words go; the case and its log stay, saying the text was erased on request."""
    for item in request_items(request):
        if item.id not in chosen:
            continue
        item.text, item.public_text, item.redacted_names = "", "", []
        case = db.session.scalar(
            select(SafeguardingCase).where(SafeguardingCase.item_id == item.id)
        )
        if case is not None:
            note = _("Text erased at the person's request (privacy request %(n)d)", n=request.id)
            db.session.add(
                CaseAction(case_id=case.id, kind=CaseStep.NOTE.value, note=note, by_id=lead.id)
            )


@transactional
def released(lead: User, request: PrivacyRequest) -> str:
    """What the lead decided to release, as JSON for them to send to the person."""
    if request.kind != RequestKind.ACCESS or request.decided_at is None:
        raise PrivacyError(_("Decide what to release first"))
    if not request.chosen_ids:
        raise PrivacyError(_("Nothing was released"))
    record(lead, Action.REQUEST_RELEASE_READ, request, items=len(request.chosen_ids))
    items = [i for i in request_items(request) if i.id in set(request.chosen_ids)]
    return json.dumps(
        {"email": request.email, "request": request.id, "items": [_item_json(i) for i in items]},
        ensure_ascii=False,
        indent=2,
    )


@transactional
def purge_contacts(now: datetime, retention: timedelta) -> int:
    """Erase contact details not used for `retention`; what people said is kept."""
    old = select(Contact.id).where(Contact.last_response_at < now - retention)
    return _drop_contacts(list(db.session.scalars(old)))


@transactional
def forget_expired(now: datetime) -> tuple[int, int]:
    """Expired link tokens and old double-click keys: (links, keys) forgotten."""
    return tokens.purge(now), once.forget_old(now)
