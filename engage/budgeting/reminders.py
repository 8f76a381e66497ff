"""Reminding youth ambassadors who have not voted yet, at most once every few days."""

from datetime import datetime, timedelta

from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.models import Participation, Phase, Round, VoteReminder
from engage.database import transactional
from engage.extensions import db
from engage.notifications.logic import queue_email
from engage.urls import external_url


@transactional
def remind_non_voters(now: datetime, every: timedelta = timedelta(days=3)) -> int:
    """Queue one email to each ambassador who has not voted in an open round, unless they
    were reminded about that round less than `every` ago. Returns how many were queued."""
    queued = 0
    for funding_round in db.session.scalars(select(Round).where(Round.phase == Phase.VOTING)):
        voted = select(Participation.user_id).where(Participation.round_id == funding_round.id)
        recent = select(VoteReminder.user_id).where(
            VoteReminder.round_id == funding_round.id, VoteReminder.sent_at > now - every
        )
        people = db.session.scalars(
            select(User).where(
                User.role == Role.YOUTH_AMBASSADOR.value,
                User.active.is_(True),
                User.password_hash.is_not(None),
                User.id.not_in(voted),
                User.id.not_in(recent),
            )
        )
        for person in people:
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
