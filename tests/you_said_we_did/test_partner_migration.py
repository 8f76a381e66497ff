"""Migration 0081 moves the partners of existing responses from a comma string into rows of
their own (and 0080 names the demo categories in Polish); going back restores the string."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from engage import create_app
from tests.conftest import config_with
from tests.database_urls import fresh_database

BEFORE = [
    "INSERT INTO users (id, email, display_name, role, locale, session_version, active, "
    "created_at) VALUES (1, 'o@example.org', 'O', 'engagement_officer', 'en_GB', 1, true, "
    "'2026-01-01')",
    "INSERT INTO ysd_responses (id, title, you_said, we_did, status, reason, progress, partners, "
    "stage, created_by_id, created_at, updated_at) VALUES "
    "(1, 'Lights', 'Dark park', 'Lit it', 'done', '', 100, ',council,police,', 'published', 1, "
    "'2026-01-01', '2026-01-01'), "
    "(2, 'Talks', 'More talks', '', 'planned', '', 0, '', 'draft', 1, '2026-01-01', '2026-01-01')",
    "INSERT INTO taxonomy_terms (id, oruk_id, name, description, vocabulary) "
    "VALUES ('sport', 'a6c2b8d0-0000-5000-8000-000000000001', 'Sport', '', 'engage')",
]


def _rows(connection, sql: str) -> list[tuple]:
    return [tuple(row) for row in connection.execute(text(sql))]


def test_partners_move_into_rows_and_back(tmp_path):
    url = fresh_database(tmp_path)
    app = create_app(config_with(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        upgrade(revision="0031")
        engine = create_engine(url)
        with engine.begin() as connection:
            for statement in BEFORE:
                connection.execute(text(statement))
        upgrade(revision="0081")
        with engine.connect() as c:
            assert sorted(_rows(c, "SELECT response_id, partner FROM ysd_response_partners")) == [
                (1, "council"),
                (1, "police"),
            ]
            assert _rows(c, "SELECT name_pl FROM taxonomy_terms") == [
                ("Sport i aktywność fizyczna",)
            ]
            assert _rows(c, "SELECT title_pl, you_said_pl FROM ysd_responses WHERE id = 1") == [
                ("", "")
            ]
        downgrade(revision="0080")
        with engine.connect() as c:
            assert _rows(c, "SELECT id, partners FROM ysd_responses ORDER BY id") == [
                (1, ",council,police,"),
                (2, ""),
            ]
        engine.dispose()
