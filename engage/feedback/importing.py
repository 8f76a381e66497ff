"""A session's items from a CSV file (the template is downloadable). Every row is checked
first; a bad row is reported with its line and field, and then nothing is imported."""

import io
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.exporting import SafeWriter
from engage.extensions import db
from engage.feedback.logic import (
    LANGUAGES,
    FeedbackError,
    NewItem,
    area_finder,
    check_text,
    save_items,
)
from engage.feedback.models import FeedbackItem, ForumSession, Source, Theme
from engage.importing import ImportFailed, Problem, csv_rows
from engage.jobs.queue import Progress

COLUMNS = ("text", "prompt", "themes", "area", "young_person", "language")
YES_NO = {"yes": True, "y": True, "no": False, "n": False, "": None}
PROGRESS_EVERY = 500  # rows between progress reports


def template_csv() -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "There is nowhere for us to go after school, so people hang about the shops.",
            "What do you think causes youth violence?",
            "youth-provision;safety-in-my-area",
            "Corby",
            "yes",
            "en",
        ]
    )
    return out.getvalue()


def _row_item(
    line, row: dict, session: ForumSession, themes, find_area, problems
) -> NewItem | None:
    before = len(problems)
    try:
        text = check_text(row.get("text", ""), "text", line)
    except FeedbackError as error:
        problems.append(Problem(line, "text", str(error)))
        text = ""
    chosen = []
    for slug in [s.strip() for s in row.get("themes", "").split(";") if s.strip()]:
        if slug not in themes:
            problems.append(Problem(line, "themes", _("there is no theme “%(t)s”", t=slug)))
        else:
            chosen.append(themes[slug])
    area = find_area(row.get("area", ""))
    if row.get("area", "").strip() and area is None:
        problems.append(Problem(line, "area", _("there is no area called “%(a)s”", a=row["area"])))
    young = row.get("young_person", "").strip().lower()
    if young not in YES_NO:
        problems.append(Problem(line, "young_person", _("write yes, no or leave it empty")))
    language = row.get("language", "").strip().lower() or "en"
    if language not in LANGUAGES:
        problems.append(Problem(line, "language", _("write en, pl or other")))
    if len(problems) > before:
        return None
    return NewItem(
        text=text,
        source=Source.SESSION,
        received_on=session.held_on,
        session=session,
        area=area,
        themes=chosen,
        language=language,
        prompt=row.get("prompt", "").strip(),
        young_person=YES_NO[young],
    )


def check_session_items(
    session: ForumSession, stream: BinaryIO, progress: Progress | None = None
) -> list[NewItem]:
    """Every row checked: the items to save, or ImportFailed naming each problem by line and
    field (nothing saved)."""
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    find_area = area_finder()
    problems: list[Problem] = []
    items = []
    for line, row in csv_rows(stream, {"text"}):
        item = _row_item(line, row, session, themes, find_area, problems)
        if item is not None:
            items.append(item)
        if progress is not None and line % PROGRESS_EVERY == 0:
            progress(line - 1, 0, "checking")
    if not items and not problems:
        problems.append(Problem(None, None, _("the file has no items in it")))
    if problems:
        raise ImportFailed(problems)
    return items


def save_session_items(officer: User, items: list[NewItem]) -> int:
    """All the checked items in one transaction: all or nothing."""
    return len(save_items(officer, items))


def import_session_items(officer: User, session: ForumSession, stream: BinaryIO) -> int:
    """Returns how many items were imported; raises ImportFailed (nothing saved) otherwise."""
    return save_session_items(officer, check_session_items(session, stream))


def session_items(session: ForumSession) -> list[FeedbackItem]:
    query = select(FeedbackItem).where(FeedbackItem.session_id == session.id)
    return list(db.session.scalars(query.order_by(FeedbackItem.id)))
