"""Safeguarding: items that may disclose harm go to the safeguarding lead as cases, never to
the ordinary queue and never to a public page. The lead is emailed at once (the email says a
case is waiting, never what was said), acknowledges the case and logs what was done."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.audit.logic import Action, Entry, entries_about, record
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.models import (
    CaseAction,
    CaseStep,
    FeedbackItem,
    Indicator,
    ItemStatus,
    SafeguardingCase,
)
from engage.feedback.triage import Scanner
from engage.feedback.vocabulary import IndicatorCategory
from engage.notifications.logic import queue_email
from engage.urls import external_url

DEFAULT_INDICATORS = {
    "harm": ["hurts me", "hit me", "hits me", "beat me up", "beats me", "scared to go home",
             "threatened me", "going to hurt", "kill me"],
    "weapons": ["carry a knife", "carrying a knife", "carries a knife", "got a knife",
                "has a knife", "has a gun", "got a gun", "stab me", "stabbed me"],
    "exploitation": ["groomed", "grooming me", "made me sell", "owe them", "run drugs for",
                     "make me carry", "older boys make", "sent me to"],
    "abuse": ["abused me", "abusing me", "touched me", "sexual abuse", "sends me pictures"],
    "self_harm": ["kill myself", "want to die", "self harm", "self-harm", "cutting myself",
                  "hurt myself", "end it all", "suicid*"],
}  # fmt: skip


class SafeguardingError(UserError):
    """A case or phrase change that cannot be made."""


def scanner() -> Scanner:
    return Scanner(db.session.scalars(select(Indicator.phrase)))


def indicators() -> list[Indicator]:
    query = select(Indicator).order_by(Indicator.category, Indicator.phrase)
    return list(db.session.scalars(query))


@transactional
def add_indicator(lead: User, phrase: str, category: str) -> Indicator:
    phrase = " ".join(phrase.split()).lower()
    if not phrase.rstrip("*").strip() or len(phrase) > 120:
        raise SafeguardingError(_("Enter a phrase of up to 120 characters"))
    if category not in IndicatorCategory.values():
        raise SafeguardingError(_("Choose a category"))
    if db.session.scalar(select(Indicator.id).where(Indicator.phrase == phrase)):
        raise SafeguardingError(_("That phrase is already on the list"))
    indicator = Indicator(phrase=phrase, category=category, added_by_id=lead.id)
    db.session.add(indicator)
    return indicator


@transactional
def remove_indicator(lead: User, indicator: Indicator) -> None:
    db.session.delete(indicator)


def load_default_indicators() -> int:
    """Add the starting list where it is missing (demo and first install)."""
    have = set(db.session.scalars(select(Indicator.phrase)))
    added = 0
    for category, phrases in DEFAULT_INDICATORS.items():
        for phrase in phrases:
            if phrase not in have:
                db.session.add(Indicator(phrase=phrase, category=category))
                added += 1
    return added


def open_case(item: FeedbackItem, reason: str) -> SafeguardingCase:
    """Take the item out of every queue and page, open a case and email the leads (in the
    caller's transaction)."""
    item.status = ItemStatus.SAFEGUARDING
    item.public_text = ""
    case = SafeguardingCase(item=item, reason=reason)
    db.session.add(case)
    db.session.flush()
    leads = db.session.scalars(
        select(User).where(User.role == Role.SAFEGUARDING_LEAD.value, User.active.is_(True))
    )
    for lead in leads:
        queue_email(
            lead.email,
            "safeguarding_case",
            lead.locale,
            display_name=lead.display_name,
            link=external_url("safeguarding.show_case", case_id=case.id),
        )
    return case


@transactional
def flag_by_hand(officer: User, item: FeedbackItem, note: str) -> SafeguardingCase:
    if item.status == ItemStatus.SAFEGUARDING:
        raise SafeguardingError(_("This item is already with the safeguarding lead"))
    if not note.strip():
        raise SafeguardingError(_("Say briefly why you are concerned"), "note")
    reason = _("Flagged by %(name)s: %(note)s", name=officer.display_name, note=note.strip())
    case = open_case(item, reason)
    record(officer, Action.CASE_FLAGGED, case)
    return case


@transactional
def read_case(lead: User, case: SafeguardingCase) -> SafeguardingCase:
    """The case for the lead to read; every reading is logged (who and when)."""
    record(lead, Action.CASE_READ, case)
    return case


def case_history(case: SafeguardingCase) -> list[Entry]:
    """Who read or acted on the case, and when, from the audit log."""
    return entries_about("fb_cases", [case.id])


def _log(lead: User, case: SafeguardingCase, step: CaseStep, note: str = "") -> None:
    db.session.add(CaseAction(case_id=case.id, kind=step.value, note=note.strip(), by_id=lead.id))
    record(lead, Action.CASE_ACKNOWLEDGED if step is CaseStep.ACKNOWLEDGED else Action.CASE_LOGGED,
           case, step=step.value)  # fmt: skip


@transactional
def acknowledge(lead: User, case: SafeguardingCase) -> None:
    if case.acknowledged_at is not None:
        raise SafeguardingError(_("This case has already been acknowledged"))
    case.acknowledged_at, case.acknowledged_by_id = utcnow(), lead.id
    _log(lead, case, CaseStep.ACKNOWLEDGED)


LOGGABLE = (CaseStep.NOTE, CaseStep.REFERRED, CaseStep.CLOSED)


@transactional
def record_action(lead: User, case: SafeguardingCase, step: CaseStep, note: str) -> None:
    """A note or referral in the case log; closing needs a note saying what was done."""
    if step not in LOGGABLE:
        raise SafeguardingError(_("Choose what you did"), "kind")
    if not note.strip():
        raise SafeguardingError(_("Write what was done"), "note")
    if case.closed_at is not None:
        raise SafeguardingError(_("This case is closed"))
    if case.acknowledged_at is None:
        case.acknowledged_at, case.acknowledged_by_id = utcnow(), lead.id
        _log(lead, case, CaseStep.ACKNOWLEDGED)
    _log(lead, case, step, note)
    if step is CaseStep.CLOSED:
        case.closed_at = utcnow()


def cases(open_only: bool = False) -> list[SafeguardingCase]:
    query = select(SafeguardingCase).order_by(SafeguardingCase.opened_at.desc())
    if open_only:
        query = query.where(SafeguardingCase.closed_at.is_(None))
    return list(db.session.scalars(query))


@dataclass
class Dashboard:
    open: int
    waiting: int  # not yet acknowledged
    median_to_acknowledge: timedelta | None
    slowest_waiting: timedelta | None


def _median(waits: list[timedelta]) -> timedelta | None:
    if not waits:
        return None
    return timedelta(seconds=statistics.median(w.total_seconds() for w in waits))


def dashboard(now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    every = cases()
    waits = [c.acknowledged_at - c.opened_at for c in every if c.acknowledged_at]
    unacknowledged = [now - c.opened_at for c in every if c.acknowledged_at is None]
    return Dashboard(
        open=sum(1 for c in every if c.closed_at is None),
        waiting=len(unacknowledged),
        median_to_acknowledge=_median(waits),
        slowest_waiting=max(unacknowledged) if unacknowledged else None,
    )
