"""Migration 0030 gives existing records their uuids and moves languages, phones and
accessibility into records of their own, keeping every old id as an alias; going back
restores them."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from engage import create_app
from engage.asset_map.oruk.ids import derived
from engage.extensions import db
from tests.conftest import config_with
from tests.database_urls import fresh_database

OLD = [
    "INSERT INTO areas (id, code, name, level, council, geometry, is_demo, updated_at) VALUES "
    "(1, 'A', 'Area', 'lap', 'North Northamptonshire', '{}', false, '2026-01-01')",
    "INSERT INTO organisations (id, oruk_id, name, description, phone, created_at) VALUES "
    "(1, 'demo-org-001', 'Org', '', '01632 960001', '2026-01-01')",
    "INSERT INTO services (id, oruk_id, organisation_id, name, description, status, "
    "eligibility, free, access, languages, accessibility, prevention_level, phone, virtual, "
    "assured_by, is_demo, created_at, updated_at) VALUES (1, 'demo-svc-0001', 1, 'Club', '', "
    "'active', '', true, 'both', ',en,pl,', ',bsl,parking,', 'primary', '01632 960002', false, "
    "'', true, '2026-01-01', '2026-01-01')",
    "INSERT INTO locations (id, oruk_id, name, address_1, city, postcode, physical) VALUES "
    "(1, 'loc-1', 'Hall', '1 High St', 'Rothwell', 'NN14 6AB', true)",
    "INSERT INTO service_at_locations (service_id, location_id) VALUES (1, 1)",
    "INSERT INTO location_areas (location_id, area_id) VALUES (1, 1)",
    "INSERT INTO schedules (id, service_id, byday, opens_at, closes_at) "
    "VALUES (1, 1, 'WE', '18:00', '20:00')",
    "INSERT INTO taxonomy_terms (id, name, description, vocabulary) "
    "VALUES ('sport', 'Sport', '', 'engage')",
]


def _rows(connection, sql: str) -> list[tuple]:
    return [tuple(row) for row in connection.execute(text(sql))]


def test_existing_records_are_migrated_and_old_ids_kept(tmp_path):
    url = fresh_database(tmp_path)
    app = create_app(config_with(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        upgrade(revision="0009")
        engine = create_engine(url)
        with engine.begin() as connection:
            for statement in OLD:
                connection.execute(text(statement))
        upgrade()
        service_id = derived("service", "demo-svc-0001")
        with engine.connect() as c:
            assert _rows(c, "SELECT oruk_id FROM services") == [(service_id,)]
            assert ("service", "demo-svc-0001", service_id) in _rows(
                c, "SELECT kind, alias, oruk_id FROM oruk_id_aliases"
            )
            assert sorted(_rows(c, "SELECT code FROM service_languages")) == [("en",), ("pl",)]
            assert sorted(_rows(c, "SELECT number FROM phones")) == [
                ("01632 960001",),
                ("01632 960002",),
            ]
            assert sorted(_rows(c, "SELECT feature FROM location_accessibility")) == [
                ("bsl",),
                ("parking",),
            ]
            assert _rows(c, "SELECT location_type, state_province, country FROM locations") == [
                ("physical", "North Northamptonshire", "GB")
            ]
            assert _rows(c, "SELECT weekdays, freq FROM schedules") == [(4, "WEEKLY")]
            assert _rows(c, "SELECT oruk_id FROM taxonomy_terms") == [(derived("term", "sport"),)]
            assert len(_rows(c, "SELECT oruk_id FROM service_at_locations")[0][0]) == 36
        downgrade(revision="0020")
        with engine.connect() as c:
            assert _rows(c, "SELECT oruk_id, languages, accessibility, phone FROM services") == [
                ("demo-svc-0001", ",en,pl,", ",bsl,parking,", "01632 960002")
            ]
            assert _rows(c, "SELECT phone FROM organisations") == [("01632 960001",)]
        engine.dispose()
        db.engine.dispose()
