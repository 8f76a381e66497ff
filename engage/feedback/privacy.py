"""Privacy: contact details are erased 12 months (by default) after the last email sent to
that person; officers can export or erase everything linked to an email address (subject
access and erasure requests). Items with the safeguarding lead lose their contact link but
are kept: the case may still need them."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from engage.accounts.models import User
from engage.database import transactional
from engage.extensions import db
from engage.feedback.models import Contact, FeedbackItem, ItemStatus


def _contacts(email: str) -> list[Contact]:
    query = select(Contact).where(Contact.email == email.strip().lower())
    return list(db.session.scalars(query))


def items_for_email(email: str) -> list[FeedbackItem]:
    ids = [c.id for c in _contacts(email)]
    if not ids:
        return []
    query = select(FeedbackItem).where(FeedbackItem.contact_id.in_(ids)).order_by(FeedbackItem.id)
    return list(db.session.scalars(query))


def export_for_email(email: str) -> str:
    """Everything held about the address, as JSON for a subject access request."""
    contacts = _contacts(email)
    items = items_for_email(email)
    return json.dumps(
        {
            "email": email.strip().lower(),
            "contacts": [
                {
                    "consent": c.consent_text,
                    "language": c.locale,
                    "given_at": c.created_at.isoformat(),
                    "last_response_at": c.last_response_at.isoformat(),
                }
                for c in contacts
            ],
            "items": [
                {
                    "id": i.id,
                    "received_on": i.received_on.isoformat(),
                    "text": i.text,
                    "status": i.status,
                    "themes": [t.name for t in i.themes],
                    "area": i.area.name if i.area else None,
                }
                for i in items
            ],
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
    items = items_for_email(email)
    kept = [i for i in items if i.status == ItemStatus.SAFEGUARDING]
    for item in items:
        if item.status != ItemStatus.SAFEGUARDING:
            db.session.delete(item)
    db.session.flush()
    return Erased(
        len(items) - len(kept), len(kept), _drop_contacts([c.id for c in _contacts(email)])
    )


@transactional
def purge_contacts(now: datetime, retention: timedelta) -> int:
    """Erase contact details not used for `retention`; what people said is kept."""
    old = select(Contact.id).where(Contact.last_response_at < now - retention)
    return _drop_contacts(list(db.session.scalars(old)))
