"""A small partnership to report on: one LAP of two wards, two themes, feedback this quarter and
the one before (some rejected, one with the safeguarding lead), a forum's sessions, a published
response, and a funded project with an accepted return."""

from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.budgeting.results import PotResult, RoundResult
from engage.extensions import db
from engage.feedback.models import FeedbackItem, Forum, ForumSession, Theme
from engage.geo.models import Area
from engage.you_said_we_did.models import Response
from tests.factories import create_funded_project, create_geography, create_return, create_user

NOW = datetime(2026, 10, 15, 9, 0)
SECRET = "Quokkaberry8731 he hurts me"


@dataclass
class Partnership:
    areas: dict[str, Area]
    themes: dict[str, Theme]
    items: list[FeedbackItem] = field(default_factory=list)
    sessions: list[ForumSession] = field(default_factory=list)


def _item(text, received_on, area=None, themes=(), status="approved", young=None):
    return FeedbackItem(
        text=text, public_text=f"[public] {text}", source="online", received_on=received_on,
        area=area, themes=list(themes), status=status, young_person=young,
    )  # fmt: skip


def _published_round(project):
    pot = PotResult(
        pot_id=project.bid.pot_id, name="", amount=20000, rule="mes",
        selected=[str(project.bid_id)], cost=project.amount, left=0, totals={}, ballots=9,
        voted=9, eligible=12, other_rule="greedy", other_selected=[], receipts=[],
    )  # fmt: skip
    project.bid.round.result = RoundResult("mes", [pot]).to_json()


@pytest.fixture
def partnership(app) -> Partnership:
    create_geography()
    areas = {a.code: a for a in db.session.scalars(select(Area))}
    themes = {s: Theme(slug=s, name=s.capitalize()) for s in ("parks", "knives")}
    west, east, lap = areas["T-W1"], areas["T-W2"], areas["T-LAP"]
    parks, knives = themes["parks"], themes["knives"]
    items = [
        _item("The park is dark at night", date(2026, 7, 3), west, [parks], young=True),
        _item("Lights in the park please", date(2026, 8, 9), west, [parks], young=False),
        _item("More lights by the swings", date(2026, 9, 1), east, [parks], "pending", True),
        _item("Knives at school", date(2026, 9, 20), east, [knives], young=True),
        _item("Nothing to do", date(2026, 9, 30), None, [], young=None),
        _item("Spam spam", date(2026, 8, 1), west, [parks], "rejected", True),
        _item(SECRET, date(2026, 8, 2), west, [knives], "safeguarding", True),
        _item("Dark park last spring", date(2026, 5, 5), west, [parks]),
        _item("Knives last spring", date(2026, 6, 30), lap, [knives], young=True),
    ]
    forum = Forum(name="Test forum", audience="youth", areas=[lap])
    sessions = [
        ForumSession(forum=forum, held_on=date(2026, 8, 20), attendees=20, profile={
            "age": {"under_16": 8, "16_24": 6, "25_44": 6},
            "gender": {"female": 4, "male": 16}, "area": {"T-W1": 12},
        }),
        ForumSession(forum=forum, held_on=date(2026, 9, 10), attendees=10, profile={
            "age": {"16_24": 10},
        }),
        ForumSession(forum=forum, held_on=date(2026, 5, 10), attendees=5, profile={}),
    ]  # fmt: skip
    author = create_user(role=Role.ENGAGEMENT_OFFICER)
    answered = Response(
        title="Park lights", you_said="Dark", created_by_id=author.id, stage="published",
        published_at=datetime(2026, 9, 10, 12), status="planned", due_on=date(2026, 9, 30),
        partner_list=["council"], items=items[:2], areas=[west],
    )  # fmt: skip
    db.session.add_all([*items, forum, *sessions, answered])
    db.session.commit()
    provider = create_user(role=Role.VCSE_PROVIDER)
    project = create_funded_project(provider=provider, areas=[west], funded_at=datetime(2026, 6, 1))
    _published_round(project)
    cohort = {"T-W1": {"11_17": 18, "18_24": 2}, "other": {"11_17": 5}}
    create_return(project, date(2026, 7, 1), cohort, status="accepted")
    create_return(project, date(2026, 4, 1), {"T-W1": {"11_17": 50}}, status="accepted")
    db.session.commit()
    return Partnership(areas, themes, items, sessions)
