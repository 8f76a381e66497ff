"""Each item keeps the moment of its first published answer (the database's triggers, migration
0086), so the accountability dashboards need not group every link. Whatever officers do to
responses and their links, the kept moment must equal the one grouped straight from the links,
and the dashboard's figures must equal the straight computation's. Run on SQLite and again on
PostgreSQL by `make test`; with real threads, two officers publishing at once."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engage.extensions import db
from engage.feedback.models import FeedbackItem
from engage.you_said_we_did import accountability, logic
from engage.you_said_we_did.logic import writing
from engage.you_said_we_did.models import Response
from tests.conftest import csrf_token, signed_in
from tests.database_urls import is_postgres
from tests.races import at_once, meet_there
from tests.you_said_we_did.test_responses import _draft, _said

TODAY = date(2026, 11, 23)


def _kept() -> dict[int, object]:
    db.session.commit()  # what the test set up is written; what the triggers wrote is read
    return dict(db.session.execute(select(FeedbackItem.id, FeedbackItem.first_answered_at)).all())


def _straight() -> dict[int, object]:
    first = accountability._first_answers()
    found = dict(db.session.execute(select(first.c.item_id, first.c.first)).all())
    return {item_id: found.get(item_id) for item_id in db.session.scalars(select(FeedbackItem.id))}


def _agree() -> dict[int, object]:
    kept = _kept()
    assert kept == _straight()
    assert accountability.loop(TODAY) == accountability.loop(TODAY, straight=True)
    return kept


def _published(author, reviewer, items, title="Lights") -> Response:
    response = _draft(author, title=title)
    logic.link_items(author, response, [i.id for i in items])
    logic.submit_for_review(author, response)
    return logic.approve(reviewer, response)


def test_the_kept_first_answer_follows_every_change_officers_make(db_session, three_officers):
    author, reviewer, third = three_officers
    a, b, c, d = (
        _said(f"Said {n}", received=TODAY - timedelta(weeks=20 - n)) for n in range(4)
    )  # fmt: skip
    old = _said("Never answered", received=TODAY - timedelta(weeks=30))
    assert set(_agree().values()) == {None}

    waiting = _draft(author, title="Not yet published")
    logic.link_items(author, waiting, [a.id, old.id])
    assert set(_agree().values()) == {None}  # a draft answers nobody

    first = _published(author, reviewer, [a, b])
    kept = _agree()
    assert kept[a.id] == kept[b.id] == first.published_at and kept[c.id] is None

    second = _published(reviewer, author, [b, c], title="Buses")
    kept = _agree()
    assert kept[b.id] == first.published_at and kept[c.id] == second.published_at

    revision = logic.start_revision(third, first)  # a change: a, b out; d in
    logic.unlink_item(third, revision, db.session.get(FeedbackItem, a.id))
    logic.link_items(third, revision, [d.id])
    assert _agree()[d.id] is None  # not until the change is approved
    logic.submit_for_review(third, revision)
    logic.approve(author, revision)
    kept = _agree()
    assert kept[a.id] is None and kept[d.id] == first.published_at

    db.session.delete(db.session.get(Response, second.id))  # its links go with it
    db.session.commit()
    kept = _agree()
    assert kept[c.id] is None and kept[b.id] == first.published_at

    db.session.delete(db.session.get(FeedbackItem, d.id))  # an erased item
    db.session.commit()
    assert d.id not in _agree()
    loop = accountability.loop(TODAY)
    assert (loop.overall.answered, loop.waiting) == (1, 3)  # a, c and the old one wait


@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
def test_two_officers_publishing_about_the_same_item_at_once_both_count(
    app, db_session, three_officers, monkeypatch
):
    """Each approval holds on after its response is published, before it commits, until the
    other has come as far: the second must wait for the first and then read its answer, or the
    item would keep the later of the two moments."""
    author, first, second = three_officers
    shared = _said("Shared", received=TODAY - timedelta(days=40))
    waiting = []
    for title in ("Lights", "Buses"):
        response = _draft(author, title=title)
        logic.link_items(author, response, [shared.id, _said(title).id])
        logic.submit_for_review(author, response)
        waiting.append(response.id)
    sends = []
    for client, response_id in zip(
        [signed_in(app, first), signed_in(app, second)], waiting, strict=True
    ):
        page = f"/responses/{response_id}"
        data = {"csrf_token": csrf_token(client, page)}
        sends.append(lambda c=client, p=page, d=data: c.post(f"{p}/approve", data=d))
    meet_there(monkeypatch, writing, "owe_notices")
    assert [r.status_code for r in at_once(*sends)] == [302, 302]
    kept = _agree()
    answers = [db.session.get(Response, i).published_at for i in waiting]
    assert kept[shared.id] == min(answers)
