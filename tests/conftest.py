"""Fixtures: one migrated database per run, emptied before each test; app, client, sign-in."""

import re
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import text

from engage import create_app, page_cache
from engage.asset_map import gaps
from engage.config import TestConfig
from engage.extensions import db, limiter
from tests.database_urls import base_url

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


# The few tests that take from 15 s to a minute each (walking the whole site as every role,
# starting real servers) start first, longest first: given out last, one could leave the other
# test process idle at the end while it finished.
LONGEST_FIRST = (
    "tests/test_hostile_input.py::test_no_form_gives",
    "tests/test_disclosures_stay_with_the_lead.py::",
    "tests/browser/test_phones.py::",
    "tests/browser/test_budgeting.py::test_a_whole_round_in_the_browser",
    "tests/test_limits.py::",
)


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        found = (n for n, start in enumerate(LONGEST_FIRST) if item.nodeid.startswith(start))
        return next(found, len(LONGEST_FIRST))

    items.sort(key=rank)


def config_with(**settings) -> type[TestConfig]:
    """TestConfig with some settings changed, applied before the extensions start."""
    return type("CustomTestConfig", (TestConfig,), settings)


def _fresh_g() -> None:
    for name in list(g):
        g.pop(name)


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("engage")
    app = create_app(
        config_with(
            SQLALCHEMY_DATABASE_URI=base_url(tmp),
            JOBS_SQLITE_PATH=str(tmp / "engage-jobs.db"),
        )
    )
    # Tests hold an app context, which test requests reuse along with its `g`; start each
    # request with an empty `g` (no cached user or CSRF token), as a real server does.
    app.before_request(_fresh_g)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(_app):
    with _app.app_context():
        _empty_tables()
        limiter.reset()
        page_cache.clear(_app)
        gaps.init_app(_app)  # a fresh index for the emptied database
        yield _app
        db.session.remove()


@pytest.fixture
def db_session(app):
    """The database session, for tests of what is stored."""
    return db.session


def _empty_tables() -> None:
    """Every table as the migrations left it, ids starting again from 1. Only the tables the
    last test wrote to are emptied: emptying all of them took longer than most tests."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    written = _written(tables)
    if db.engine.dialect.name == "postgresql":
        if written:
            names = ", ".join(t for t in tables if t in written)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            if name in written:
                db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


# PostgreSQL: tables whose ids have moved on (rows added, even if gone again), by the sequences
# they own (serial and identity columns alike).
_MOVED_ON = """SELECT t.relname FROM pg_class s
    JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    WHERE CASE WHEN s.relkind = 'S' THEN pg_sequence_last_value(s.oid) END IS NOT NULL"""


def _written(tables: list[str]) -> set[str]:
    """The tables holding rows, and on PostgreSQL those whose ids have moved on, in one query."""
    holding = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in tables
    )
    if db.engine.dialect.name == "postgresql":
        holding += f" UNION ALL {_MOVED_ON}"
    return set(db.session.execute(text(holding)).scalars())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, url: str) -> str:
    response = client.get(url)
    match = CSRF_PATTERN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, **kwargs):
    """Submit a form the way a browser does: fetch the page for its CSRF token, then post."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)}, **kwargs)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def sign_in(self, email: str, password: str):
        return post_form(self.client, "/sign-in", {"email": email, "password": password})

    def sign_in_as(self, user, password: str = "correct horse battery"):
        response = self.sign_in(user.email, password)
        assert response.status_code == 302, "sign-in failed"
        return response


@pytest.fixture
def auth(client):
    return AuthActions(client)


def signed_in(app, user):
    """A client of its own, signed in as `user` (for tests with more than one person)."""
    client = app.test_client()
    AuthActions(client).sign_in_as(user)
    return client


@pytest.fixture
def root_dir() -> Path:
    return Path(__file__).resolve().parent.parent
