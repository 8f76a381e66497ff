"""Migration 0060: searches logged before it keep counting in the gap analysis as they did
(those with an area that found fewer than 3 services); going back drops the flag and the
day's visits."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from engage import create_app
from tests.conftest import config_with
from tests.database_urls import fresh_database

BEFORE, AFTER = "0032", "0060"
OLD = [
    "INSERT INTO areas (id, code, name, level, council, geometry, is_demo, updated_at, "
    "editions, from_children) VALUES "
    "(1, 'A', 'Area', 'lsoa', 'North Northamptonshire', '{}', false, '2026-01-01', '[]', false)",
    "INSERT INTO search_logs (id, created_at, query, area_id, filters, result_count) VALUES "
    "(1, '2026-01-01', 'Rothwell', 1, '{}', 0), "
    "(2, '2026-01-01', 'Rothwell', 1, '{}', 12), "
    "(3, '2026-01-01', 'Nowhere', NULL, '{}', 0)",
]


def test_old_searches_keep_counting_as_they_did(tmp_path):
    url = fresh_database(tmp_path)
    app = create_app(config_with(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        upgrade(revision=BEFORE)
        engine = create_engine(url)
        with engine.begin() as connection:
            for statement in OLD:
                connection.execute(text(statement))
        upgrade(revision=AFTER)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, counts_for_gaps FROM search_logs ORDER BY id")
            ).all()
        assert [(row[0], bool(row[1])) for row in rows] == [(1, True), (2, False), (3, False)]
        downgrade(revision=BEFORE)
        columns = {c["name"] for c in inspect(engine).get_columns("search_logs")}
        assert "counts_for_gaps" not in columns
        assert "search_visits" not in inspect(engine).get_table_names()
        engine.dispose()
