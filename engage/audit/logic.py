"""Recording and reading the audit log. `record` joins the caller's transaction, so an action
and its entry are saved together or not at all."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from engage.accounts.models import User
from engage.audit.models import AuditEntry
from engage.database import Identified
from engage.extensions import db


class Action(StrEnum):
    CASE_READ = "case.read"
    CASE_ACKNOWLEDGED = "case.acknowledged"
    CASE_LOGGED = "case.logged"
    CASE_FLAGGED = "case.flagged"
    REQUEST_PASSED = "request.passed"
    REQUEST_READ = "request.read"
    REQUEST_DECIDED = "request.decided"
    REQUEST_RELEASE_READ = "request.release_read"
    RESPONSE_DRAFTED = "response.drafted"
    RESPONSE_CHANGED = "response.changed"
    RESPONSE_LINKED = "response.linked"
    RESPONSE_UNLINKED = "response.unlinked"
    RESPONSE_UPDATE_ADDED = "response.update_added"
    RESPONSE_SUBMITTED = "response.submitted"
    RESPONSE_SENT_BACK = "response.sent_back"
    RESPONSE_APPROVED = "response.approved"
    REVISION_STARTED = "revision.started"
    ROLE_CHANGED = "account.role_changed"
    ACCOUNT_SUSPENDED = "account.suspended"
    ACCOUNT_RESTORED = "account.restored"
    SUBJECT_ACCESS = "privacy.access"
    SUBJECT_ERASURE = "privacy.erasure"
    RETURN_ACCEPTED = "monitoring.accepted"
    RETURN_SENT_BACK = "monitoring.sent_back"
    TARGET_SET = "monitoring.target_set"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])

    @property
    def about_a_case(self) -> bool:
        return self.value.startswith(("case.", "request."))


ACTION_LABELS = {
    Action.CASE_READ: _l("Read the case"),
    Action.CASE_ACKNOWLEDGED: _l("Acknowledged the case"),
    Action.CASE_LOGGED: _l("Added to the case log"),
    Action.CASE_FLAGGED: _l("Sent an item to the safeguarding lead"),
    Action.REQUEST_PASSED: _l("Passed a privacy request to the safeguarding lead"),
    Action.REQUEST_READ: _l("Read the items a privacy request touched"),
    Action.REQUEST_DECIDED: _l("Decided a privacy request"),
    Action.REQUEST_RELEASE_READ: _l("Downloaded what a privacy request releases"),
    Action.RESPONSE_DRAFTED: _l("Wrote a draft response"),
    Action.RESPONSE_CHANGED: _l("Changed a response"),
    Action.RESPONSE_LINKED: _l("Linked feedback to a response"),
    Action.RESPONSE_UNLINKED: _l("Unlinked feedback from a response"),
    Action.RESPONSE_UPDATE_ADDED: _l("Added an update to a response"),
    Action.RESPONSE_SUBMITTED: _l("Sent a response for approval"),
    Action.RESPONSE_SENT_BACK: _l("Sent a response back to draft"),
    Action.RESPONSE_APPROVED: _l("Approved and published a response"),
    Action.REVISION_STARTED: _l("Started a change to a published response"),
    Action.ROLE_CHANGED: _l("Changed someone's role"),
    Action.ACCOUNT_SUSPENDED: _l("Suspended an account"),
    Action.ACCOUNT_RESTORED: _l("Restored an account"),
    Action.SUBJECT_ACCESS: _l("Answered a request to see someone's feedback"),
    Action.SUBJECT_ERASURE: _l("Erased someone's feedback on request"),
    Action.RETURN_ACCEPTED: _l("Accepted a funded project's monitoring return"),
    Action.RETURN_SENT_BACK: _l("Asked for changes to a monitoring return"),
    Action.TARGET_SET: _l("Set whom a funded project should reach"),
}


class Subject(Identified, Protocol):
    """A model instance an entry can be about: its table and id are kept."""

    __tablename__: str


def record(
    actor: User | None, action: Action, subject: Subject | tuple[str, int | None], **detail: object
) -> AuditEntry:
    """Add an entry in the caller's transaction. `subject` is a model instance (its table and
    id are kept) or a (type, id) pair."""
    if isinstance(subject, tuple):
        subject_type, subject_id = subject
    else:
        db.session.flush()
        subject_type, subject_id = type(subject).__tablename__, subject.id
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action.value,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: Action
    subject_type: str
    subject_id: int | None
    detail: dict[str, Any]


def _entries(query: Select[tuple[AuditEntry, str]]) -> list[Entry]:
    rows = db.session.execute(query.outerjoin(User, User.id == AuditEntry.actor_id)).all()
    return [
        Entry(e.id, e.at, name or "—", Action(e.action), e.subject_type, e.subject_id, e.detail)
        for e, name in rows
    ]


def entries_about(subject_type: str, subject_ids: list[int]) -> list[Entry]:
    """Every entry about these records, oldest first (a response's history, a case's reads)."""
    query = (
        select(AuditEntry, User.display_name)
        .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id.in_(subject_ids))
        .order_by(AuditEntry.id)
    )
    return _entries(query)


def latest(case_entries: bool, limit: int = 200, before_id: int | None = None) -> list[Entry]:
    """The newest entries: about cases and privacy requests (for the lead) or about everything
    else (for admins)."""
    case_actions = [a.value for a in Action if a.about_a_case]
    query = select(AuditEntry, User.display_name)
    if case_entries:
        query = query.where(AuditEntry.action.in_(case_actions))
    else:
        query = query.where(AuditEntry.action.not_in(case_actions))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return _entries(query.order_by(AuditEntry.id.desc()).limit(limit))


def subject_label(entry: Entry) -> str:
    """What an entry was about, in words: "Case 12", "Response 5"."""
    names: dict[str, str] = {
        "fb_cases": _("Case %(n)s"),
        "fb_privacy_requests": _("Privacy request %(n)s"),
        "ysd_responses": _("Response %(n)s"),
        "users": _("Account %(n)s"),
        "fb_items": _("Feedback item %(n)s"),
        "pb_funded_projects": _("Funded project %(n)s"),
    }
    if entry.subject_id is None:
        return "—"
    return names.get(entry.subject_type, "%(n)s") % {"n": entry.subject_id}
