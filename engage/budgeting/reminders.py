"""Reminding youth ambassadors who have not voted yet, at most once every few days."""

from datetime import datetime, timedelta

from sqlalchemy import select

from engage.accounts.models import User
from engage.budgeting.models import Participation, Phase, Round, VoteReminder
from engage.budgeting.pots import eligible_ambassadors
from engage.database import transactional
from engage.extensions import db
from engage.notifications.logic import queue_email
from engage.urls import external_url


@transactional
def remind_non_voters(now: datetime, every: timedelta = timedelta(days=3)) -> int:
    """Queue one email to each ambassador who has not voted in a pot of an open round that they
    vote in, unless they were reminded about that round less than `every` ago. Returns how
    many were queued."""
    queued = 0
    for funding_round in db.session.scalars(select(Round).where(Round.phase == Phase.VOTING)):
        for person in _not_voted(funding_round, now - every):
            queue_email(
                person.email,
                "vote_reminder",
                person.locale,
                display_name=person.display_name,
                round_title=funding_round.title,
                link=external_url("budgeting.vote", round_id=funding_round.id),
            )
            db.session.add(VoteReminder(round_id=funding_round.id, user_id=person.id, sent_at=now))
            queued += 1
    return queued


def _not_voted(funding_round: Round, reminded_since: datetime) -> list[User]:
    recent = set(
        db.session.scalars(
            select(VoteReminder.user_id).where(
                VoteReminder.round_id == funding_round.id, VoteReminder.sent_at > reminded_since
            )
        )
    )
    people: dict[int, User] = {}
    for pot in funding_round.pots:
        voted = set(
            db.session.scalars(select(Participation.user_id).where(Participation.pot_id == pot.id))
        )
        for person in eligible_ambassadors(pot):
            if person.id not in voted | recent and person.password_hash is not None:
                people[person.id] = person
    return sorted(people.values(), key=lambda p: p.id)
