"""The gap analysis counts searches that found little only from anonymous visitors, each
visitor once a day in each area, and keeps nothing that says who they were."""

import contextlib
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.asset_map import gaps, search_log
from engage.asset_map.logic import SupportSearch, find_support
from engage.asset_map.models import SearchDaySalt, SearchLog, SearchVisit
from engage.extensions import db
from engage.i18n import london_now
from tests.database_urls import is_postgres
from tests.factories import create_geography, create_service, create_user
from tests.races import at_once

MONDAY = datetime(2026, 11, 23, 19, 0)
TUESDAY = datetime(2026, 11, 24, 9, 0)
# Rothwell is in the west ward; Desborough's point is outside the test geography, so these
# two places are in different areas: Rothwell's LSOA and the east ward's LSOA.
EAST = "52.4000,-0.7200"


@pytest.fixture
def directory(db_session):
    create_geography()
    create_service("Club")  # one service: every search here finds "few"


def _counted() -> list[SearchLog]:
    return list(db.session.scalars(select(SearchLog).where(SearchLog.counts_for_gaps)))


def _search(client, q="Rothwell", address="203.0.113.7", **args):
    response = client.get(
        "/find-support", query_string={"q": q, **args}, environ_base={"REMOTE_ADDR": address}
    )
    assert response.status_code == 200
    return response


def test_a_visitor_searching_again_and_again_counts_once(client, directory):
    for _ in range(3):
        _search(client)
    _search(client, category="youth-activities")
    assert db.session.scalar(select(func.count(SearchLog.id))) == 4
    assert len(_counted()) == 1


def test_each_visitor_and_each_area_counts(client, directory):
    _search(client, address="203.0.113.7")
    _search(client, address="203.0.113.8")
    _search(client, q=EAST, address="203.0.113.7")
    counted = _counted()
    assert len(counted) == 3
    assert len({log.area_id for log in counted}) == 2


def test_signed_in_staff_never_count(client, auth, directory):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    for _ in range(2):
        _search(client)
    assert db.session.scalar(select(func.count(SearchLog.id))) == 2
    assert _counted() == []


def test_searches_that_found_enough_do_not_count(client, directory):
    for n in range(3):
        create_service(f"Extra {n}")
    _search(client)
    assert _counted() == []


def test_a_new_day_counts_again_and_forgets_the_day_before(directory):
    def search(now):
        find_support(SupportSearch("Rothwell"), now, visitor="203.0.113.7")

    search(MONDAY)
    search(MONDAY)
    monday_salt = db.session.scalar(select(SearchDaySalt.salt))
    search(TUESDAY)
    assert len(_counted()) == 2
    assert db.session.scalars(select(SearchDaySalt.day)).all() == [TUESDAY.date()]
    assert db.session.scalars(select(SearchVisit.day)).all() == [TUESDAY.date()]
    assert db.session.scalar(select(SearchDaySalt.salt)) != monday_salt


def test_the_address_is_never_stored(client, directory):
    _search(client, address="198.51.100.23")
    stored = []
    for model in (SearchLog, SearchVisit, SearchDaySalt):
        for row in db.session.scalars(select(model)):
            stored += [str(getattr(row, c.key)) for c in model.__table__.columns]
    assert stored and not [value for value in stored if "198.51.100" in value]


def test_the_gap_table_counts_only_what_counts(client, auth, directory):
    _search(client, address="203.0.113.7")
    _search(client, address="203.0.113.7")
    _search(client, address="203.0.113.9")
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    _search(client)
    rows = gaps.gap_table("ward", "", "all", datetime.now())
    table = {g.code: g.thin_searches for g in rows}
    assert table == {"T-W1": 2, "T-W2": 0}


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
def test_two_searches_at_the_same_moment_by_one_visitor_count_once(app, directory, monkeypatch):
    """Both requests are held after reading the day's key until both have it, then both try to
    be the visitor's first visit."""
    search_log._salt(london_now().date())
    original, barrier = search_log._salt, threading.Barrier(2)

    def held(day):
        salt = original(day)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=5)
        return salt

    monkeypatch.setattr(search_log, "_salt", held)
    db.session.commit()
    clients = [app.test_client(), app.test_client()]
    responses = at_once(*(lambda c=c: _search(c) for c in clients))
    assert all(r.status_code == 200 for r in responses), responses
    db.session.expire_all()
    assert db.session.scalar(select(func.count(SearchLog.id))) == 2
    assert len(_counted()) == 1
    assert db.session.scalar(select(func.count(SearchDaySalt.day))) == 1


def _logged() -> int:
    return db.session.scalar(select(func.count(SearchLog.id))) or 0


def test_a_search_answered_from_the_page_cache_is_logged_all_the_same(client, directory):
    pages = [
        client.get("/find-support", query_string={"q": "Rothwell"}, environ_base=address)
        for address in ({"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "203.0.113.8"})
    ]
    assert [p.headers["X-Page-Cache"] for p in pages] == ["miss", "hit"]
    assert _logged() == 2
    assert len(_counted()) == 2  # two visitors, each counted once


@pytest.fixture
def batches_of_three():
    search_log.batch_searches(3, 3600)
    yield
    search_log.write_waiting()
    search_log.batch_searches(1, 0)


def test_searches_are_written_a_batch_at_a_time_and_read_by_the_gap_analysis(
    client, directory, batches_of_three
):
    _search(client)
    _search(client, address="203.0.113.8")
    assert _logged() == 0  # waiting for the batch, not written on the visitors' requests
    _search(client, address="203.0.113.9")
    assert _logged() == 3
    _search(client, address="203.0.113.10")
    assert _logged() == 3
    table = gaps.gap_table("lsoa", "", "all", london_now())
    assert _logged() == 4  # the gap analysis writes what is waiting before it reads
    assert sum(gap.thin_searches for gap in table) == 4
