"""Each theme keeps how many approved items have it and how many of those have been answered
(the database's triggers, migration 0087), so the accountability dashboards need not join every
item to its themes. Whatever officers do to items, their themes and the responses answering
them, the kept counts must equal the straight join's. Run on SQLite and again on PostgreSQL by
`make test`; on PostgreSQL, a theme linked while another officer rejects the item, for real."""

import re
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from engage.extensions import db
from engage.feedback import logic as feedback
from engage.feedback import moderation
from engage.feedback.models import FeedbackItem, ItemStatus, Theme, item_themes
from engage.you_said_we_did import accountability, logic
from engage.you_said_we_did.models import Response
from tests.database_urls import is_postgres
from tests.you_said_we_did.test_responses import _draft

TODAY = date(2026, 11, 23)


def _agree() -> dict[str, tuple[int, int]]:
    """Each theme's (answered, approved) as kept, after checking it equals the straight join's
    and that the dashboard's figures are the straight computation's."""
    db.session.commit()  # what the test did is written; what the triggers wrote is read
    db.session.expire_all()
    kept = accountability._kept_theme_counts()
    assert kept == accountability._by_theme(accountability._straight(), accountability.EVERYTHING)
    assert accountability.loop(TODAY) == accountability.loop(TODAY, straight=True)
    return {share.label: (share.answered, share.total) for share in kept}


def _published(author, reviewer, items, title="Lights") -> Response:
    response = _draft(author, title=title)
    logic.link_items(author, response, [i.id for i in items])
    logic.submit_for_review(author, response)
    return logic.approve(reviewer, response)


def _entered(officer, *themed: tuple[str, list[Theme]]) -> list[FeedbackItem]:
    """Items an officer types in from a session (written in bulk: one INSERT for the links)."""
    received = TODAY - timedelta(weeks=20)
    return feedback.enter_items(
        officer,
        [
            feedback.NewItem(text=t, source="forum", received_on=received, themes=ts)
            for t, ts in themed
        ],
    )


def test_the_kept_theme_counts_follow_every_change(db_session, themes, three_officers):
    author, reviewer, third = three_officers
    youth, knives, lights = themes["youth-provision"], themes["knife-crime"], themes["lighting"]
    assert _agree() == {}

    a, b, c, told = _entered(
        author,
        ("Nothing for young people to do", [youth]),
        ("Knives and the dark", [knives, lights]),
        ("The park lights are out", [lights]),
        ("Older boys make me carry things", [youth, knives]),  # to the safeguarding lead
    )
    assert told.status == ItemStatus.SAFEGUARDING
    assert _agree() == {"Youth provision": (0, 1), "Knife crime": (0, 1),
                        "Environment and lighting": (0, 2)}  # fmt: skip

    online = feedback.submit_online(
        feedback.NewItem(text="Buses stop too early", source="online", received_on=TODAY),
        consent=False,
    )
    moderation.set_themes(reviewer, online, [youth.id])
    assert _agree()["Youth provision"] == (0, 1)  # waiting for moderation: not counted
    moderation.approve(reviewer, online)
    assert _agree()["Youth provision"] == (0, 2)

    first = _published(author, reviewer, [a, b])
    assert _agree() == {"Youth provision": (1, 2), "Knife crime": (1, 1),
                        "Environment and lighting": (1, 2)}  # fmt: skip

    moderation.set_themes(reviewer, b, [knives.id, youth.id])  # lighting off, youth on
    assert _agree() == {"Youth provision": (2, 3), "Knife crime": (1, 1),
                        "Environment and lighting": (0, 1)}  # fmt: skip

    revision = logic.start_revision(third, first)  # a change: a out, c in
    logic.unlink_item(third, revision, db.session.get(FeedbackItem, a.id))
    logic.link_items(third, revision, [c.id])
    assert _agree()["Environment and lighting"] == (0, 1)  # not until approved
    logic.submit_for_review(third, revision)
    logic.approve(author, revision)
    assert _agree() == {"Youth provision": (1, 3), "Knife crime": (1, 1),
                        "Environment and lighting": (1, 1)}  # fmt: skip

    moderation.reject(reviewer, online, "Not about this area")
    assert _agree()["Youth provision"] == (1, 2)

    second = _published(reviewer, author, [a], title="Youth club")
    assert _agree()["Youth provision"] == (2, 2)
    db.session.delete(db.session.get(Response, second.id))  # its links go with it
    db.session.commit()
    assert _agree()["Youth provision"] == (1, 2)

    db.session.delete(db.session.get(FeedbackItem, b.id))  # erased: its links go first
    db.session.commit()
    assert _agree() == {"Youth provision": (0, 1), "Environment and lighting": (1, 1)}

    db.session.execute(delete(FeedbackItem).where(FeedbackItem.id == c.id))  # links after it
    assert _agree() == {"Youth provision": (0, 1)}

    db.session.execute(  # every item at once, in one statement (a bulk moderation)
        update(FeedbackItem).where(FeedbackItem.id.in_([a.id, online.id])).values(status="approved")
    )
    assert _agree() == {"Youth provision": (0, 2)}

    db.session.delete(db.session.get(Theme, youth.id))  # a theme retired
    db.session.commit()
    assert _agree() == {}


@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
@pytest.mark.parametrize("first", ["theme linked", "item rejected"])
def test_a_theme_linked_while_the_item_is_rejected_is_counted_right(db_session, themes, officer,
                                                                      first):  # fmt: skip
    """Two officers at once, each in its own transaction: one themes the item, the other
    rejects it. Whichever writes first, the second waits for it to commit (the link's item is
    locked before its status is read) and then counts from what it did."""
    (item,) = _entered(officer, ("The park lights are out", []))
    theme_id = themes["lighting"].id
    link = insert(item_themes).values(item_id=item.id, theme_id=theme_id)
    reject = update(FeedbackItem).where(FeedbackItem.id == item.id).values(status="rejected")
    statements = [link, reject] if first == "theme linked" else [reject, link]
    db.session.commit()

    with db.engine.connect() as holder, db.engine.connect() as watcher:
        holder.execute(statements[0])  # its triggers have run; not committed yet
        other = threading.Thread(target=_run_and_commit, args=(db.engine, statements[1]))
        other.start()
        _until_waiting_or_done(watcher, other)
        holder.commit()
        other.join(timeout=30)
    assert _agree() == {}  # rejected: no theme counts it


def _run_and_commit(engine, statement) -> None:
    with engine.connect() as connection:
        connection.execute(statement)
        connection.commit()


def _until_waiting_or_done(watcher, thread: threading.Thread) -> None:
    """Until the other transaction waits for a lock (or, without the lock, has finished)."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND datname = current_database()"
    )
    deadline = time.monotonic() + 30
    while thread.is_alive() and time.monotonic() < deadline:
        found = watcher.execute(waiting).scalar()
        watcher.rollback()  # the next look sees the server afresh, not this transaction's copy
        if found:
            return
        time.sleep(0.01)


def test_every_link_of_an_import_larger_than_one_statement_is_kept_and_counted(
    db_session, themes, officer
):
    """Links go in as multi-row statements of LINKS_PER_STATEMENT: none is lost at the seams."""
    youth, lights = themes["youth-provision"], themes["lighting"]
    n = feedback.LINKS_PER_STATEMENT + 1
    items = _entered(
        officer, *((f"Item number {i} about the park", [youth, lights]) for i in range(n))
    )
    stored = db.session.scalar(select(func.count()).select_from(item_themes))
    assert len(items) == n and stored == 2 * n
    assert _agree() == {"Youth provision": (0, n), "Environment and lighting": (0, n)}


def _theme_rows(client) -> dict[str, list[str]]:
    """The public dashboard's "By theme" table as a visitor reads it: theme -> its cells."""
    page = client.get("/you-said-we-did/accountability")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    table = html[
        html.index(">By theme</caption>") : html.index("</table>", html.index(">By theme<"))
    ]
    return {
        cells[0]: cells[1:]
        for cells in (
            re.findall(r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', row)
            for row in table.split("<tr")[2:]
        )
    }


def test_a_visitor_sees_each_themes_kept_counts_and_the_next_change_at_once(
    client, db_session, themes, three_officers
):
    author, reviewer, _third = three_officers
    youth, lights = themes["youth-provision"], themes["lighting"]
    a, _b = _entered(author, ("Nothing to do", [youth]), ("Dark park", [youth, lights]))
    _published(author, reviewer, [a])
    assert _theme_rows(client) == {
        "Environment and lighting": ["0", "1", "0%"],
        "Youth provision": ["1", "2", "50%"],
    }
    _entered(author, ("The lights are out again", [lights]))  # a change: the next view shows it
    assert _theme_rows(client)["Environment and lighting"] == ["0", "2", "0%"]
