"""The demo feedback: themes, forums in North and West with past sessions (and who came) and
public sessions coming up, ~300 items across themes and sources (a few that trip redaction
and safeguarding), an open question, and Census-style population profiles per area. Dates
in the files are moved so that the data set's "today" (23 November 2026) is today."""

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from engage.accounts.models import User
from engage.database import utcnow
from engage.extensions import db
from engage.feedback.logic import (
    NewItem,
    area_finder,
    group_duplicates,
    public_copy,
    record_item,
)
from engage.feedback.models import (
    Contact,
    FeedbackItem,
    Forum,
    ForumSession,
    ItemStatus,
    OpenQuestion,
    Theme,
)
from engage.feedback.safeguarding import load_default_indicators, scanner
from engage.geo.importing import import_figures
from engage.geo.models import Area

SEED = Path(__file__).resolve().parent.parent.parent / "seed_assets"
DATA_TODAY = date(2026, 11, 23)
QUESTION = "Should campaigns show knives?"
NAMES = {  # names in the demo texts for the officer to take out of the public copy
    "Mrs Adeyemi-Hart": ["Mrs Adeyemi-Hart"],
    "Dani Threlfall": ["Dani Threlfall"],
    "Tyler Marsh": ["Tyler Marsh"],
}
REJECTED_REASON = "Spam or abusive, not feedback"
CONSENT = "Demo consent: may email me about what happens to my feedback."


def _day(text: str, shift: timedelta) -> date:
    return date.fromisoformat(text) + shift


def load_themes() -> int:
    have = {t.slug: t for t in db.session.scalars(select(Theme))}
    with (SEED / "feedback_themes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        theme = have.get(row["slug"]) or Theme(slug=row["slug"])
        theme.name, theme.name_pl = row["name"], row["name_pl"]
        theme.keywords = [k for k in row["keywords"].split(";") if k]
        db.session.add(theme)
    return len(rows)


def _session_values(data: dict, shift: timedelta) -> dict:
    return {
        "held_on": _day(data["held_on"], shift),
        "starts_at": data.get("starts_at", ""),
        "place": data.get("place", ""),
        "facilitator": data.get("facilitator", ""),
        "prompts": data.get("prompts", []),
        "attendees": data.get("attendees"),
        "profile": data.get("profile") or {},
        "public": bool(data.get("public")),
    }


def load_forums(shift: timedelta) -> dict[tuple[str, str], ForumSession]:
    """Forums and sessions by (forum name, date in the file)."""
    sessions = {}
    existing = {f.name for f in db.session.scalars(select(Forum))}
    for held in db.session.scalars(select(ForumSession)):
        sessions[(held.forum.name, (held.held_on - shift).isoformat())] = held
    for data in json.loads((SEED / "feedback_forums.json").read_text(encoding="utf-8")):
        if data["name"] in existing:
            continue
        codes = data.get("areas", [])
        forum = Forum(
            name=data["name"],
            audience=data["audience"],
            partners=data.get("partners", ""),
            areas=list(db.session.scalars(select(Area).where(Area.code.in_(codes)))),
        )
        db.session.add(forum)
        for raw in data["sessions"]:
            session = ForumSession(forum=forum, **_session_values(raw, shift))
            db.session.add(session)
            sessions[(data["name"], raw["held_on"])] = session
    return sessions


def _question() -> OpenQuestion:
    question = db.session.scalar(select(OpenQuestion).where(OpenQuestion.title == QUESTION))
    if question is None:
        question = OpenQuestion(
            title=QUESTION,
            body="We are planning a campaign about knife crime with young people. Some say "
            "showing knives shocks people into listening; others say it frightens children or "
            "makes carrying one seem normal. What do you think?",
        )
        db.session.add(question)
    return question


def _new_item(row: dict, sessions, themes, question, find_area, shift: timedelta) -> NewItem:
    session = sessions.get((row["forum"], row["session_date"])) if row["forum"] else None
    return NewItem(
        text=row["text"],
        source=row["source"],
        received_on=_day(row["received_on"], shift),
        session=session,
        question=question if row["prompt"] == QUESTION else None,
        prompt=row["prompt"],
        area=find_area(row["area"]),
        themes=[themes[s] for s in row["themes"].split(";") if s],
        language=row["language"],
        young_person={"yes": True, "no": False}.get(row["young_person"]),
    )


def load_items(officer: User | None, sessions, shift: timedelta) -> int:
    if db.session.scalar(select(func.count(FeedbackItem.id))):
        return 0  # loaded before
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    question, found, find_area = _question(), scanner(), area_finder()
    with (SEED / "feedback_items.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    items = []
    for row in rows:
        new = _new_item(row, sessions, themes, question, find_area, shift)
        contact = None
        if row["email"]:
            contact = Contact(email=row["email"], consent_text=CONSENT)
            db.session.add(contact)
        actor = officer if row["status"] == ItemStatus.APPROVED else None
        item = record_item(new, row["status"], actor, found, contact)
        if item.status == ItemStatus.REJECTED:
            item.reason, item.moderated_at = REJECTED_REASON, utcnow()
        names = [n for key, n in NAMES.items() if key in item.text]
        if names and item.status != ItemStatus.SAFEGUARDING:
            item.redacted_names = names[0]
            item.public_text = public_copy(item.text, item.language, item.redacted_names)
        items.append(item)
    db.session.flush()
    group_duplicates(items, lookback=0)
    return len(items)


def load_area_profiles() -> int:
    with (SEED / "area_profiles.csv").open("rb") as f:
        data = f.read()
    return import_figures(io.BytesIO(data), "Demo figures in the style of Census 2021")


def load_demo_feedback(officer_email: str, today: date) -> dict[str, int]:
    """Load what is missing; running it twice changes nothing."""
    shift = today - DATA_TODAY
    officer = db.session.scalar(select(User).where(User.email == officer_email))
    counts = {
        "themes": load_themes(),
        "indicators": load_default_indicators(),
    }
    sessions = load_forums(shift)
    db.session.flush()
    counts["sessions"] = len(sessions)
    counts["items"] = load_items(officer, sessions, shift)
    counts["area figures"] = load_area_profiles()
    db.session.commit()
    return counts
