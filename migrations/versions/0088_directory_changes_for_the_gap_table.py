"""the database notes each service whose place in the gap table may have changed, so every
worker can bring its own index of the directory up to date by those services alone

Revision ID: 0088
Revises: 0087
Create Date: 2026-11-30 05:00:00

`directory_changes` has a row for each service ever changed in a way the gap table can see,
and one for the areas (`service_id` 0). Its `changed` moves on with every such change:
- on PostgreSQL, the id of the transaction that made it (`pg_current_xact_id()`): a reader
  that keeps the oldest transaction still running when it last looked
  (`pg_snapshot_xmin`) finds every change committed since, whatever order they commit in;
- on SQLite, one more than the greatest yet: writers take turns, so they commit in that order.

What is noted, by triggers:
- a service added, deleted, or its status or ages changed;
- its categories, places or areas covered changed (`service_taxonomy_terms`, `service_at_locations`,
  `service_areas`);
- a place's coordinates changed, or the areas it lies in (`location_areas`): the services
  offered there; on SQLite, which does not enforce foreign keys here, a place deleted too
  (PostgreSQL deletes its links with it, and notes them).
- any change to `areas` (service 0): the areas' layout is worked out again.

On PostgreSQL the triggers run once per statement, over the rows it changed, and note the
services in id order (two writers never wait for each other's rows in opposite orders).

A later migration that rebuilds one of these tables (SQLite's batch mode copies a table to
change it) drops its triggers: create them again with `create_triggers()`.
`tests/asset_map/test_directory_index.py` fails if they are missing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0088"
down_revision = "0087"
branch_labels = None
depends_on = None

AREAS = 0  # the service_id noted for a change to the areas
LINKS = ("service_taxonomy_terms", "service_at_locations", "service_areas")


def _differ(columns: tuple[str, ...], new: str, old: str, differs: str) -> str:
    return " OR ".join(f"{new}.{c} {differs} {old}.{c}" for c in columns)


SEEN = ("status", "minimum_age", "maximum_age")  # what the gap table sees of a service
WHERE = ("latitude", "longitude")  # and of a place

# -- SQLite: row by row


def _note(services: str) -> str:
    """SQLite: note the services `services` (a SELECT of ids) as changed."""
    return f"""INSERT INTO directory_changes (service_id, changed)
        SELECT s, (SELECT coalesce(max(changed), 0) + 1 FROM directory_changes)
        FROM ({services}) WHERE true
        ON CONFLICT (service_id) DO UPDATE SET changed = excluded.changed;"""


def _at(location: str) -> str:
    return f"SELECT service_id AS s FROM service_at_locations WHERE location_id = {location}"


def _sqlite(_note=_note) -> list[tuple[str, str, str]]:
    """(name, table, the rest of its CREATE TRIGGER), noting services by `_note` (0089 passes
    its own)."""
    triggers = [
        ("directory_service_added", "services",
         f"AFTER INSERT ON services BEGIN {_note('SELECT NEW.id AS s')} END"),
        ("directory_service_changed", "services",
         f"""AFTER UPDATE OF status, minimum_age, maximum_age ON services
             WHEN {_differ(SEEN, "NEW", "OLD", "IS NOT")}
             BEGIN {_note('SELECT NEW.id AS s')} END"""),
        ("directory_service_deleted", "services",
         f"AFTER DELETE ON services BEGIN {_note('SELECT OLD.id AS s')} END"),
        ("directory_place_moved", "locations",
         f"""AFTER UPDATE OF latitude, longitude ON locations
             WHEN {_differ(WHERE, "NEW", "OLD", "IS NOT")} BEGIN {_note(_at('NEW.id'))} END"""),
        ("directory_place_deleted", "locations",  # its links outlive it (no foreign keys)
         f"AFTER DELETE ON locations BEGIN {_note(_at('OLD.id'))} END"),
        ("directory_place_area_added", "location_areas",
         f"AFTER INSERT ON location_areas BEGIN {_note(_at('NEW.location_id'))} END"),
        ("directory_place_area_removed", "location_areas",
         f"AFTER DELETE ON location_areas BEGIN {_note(_at('OLD.location_id'))} END"),
        ("directory_place_area_changed", "location_areas",
         f"""AFTER UPDATE ON location_areas BEGIN {_note(_at('OLD.location_id'))}
             {_note(_at('NEW.location_id'))} END"""),
    ]  # fmt: skip
    for table in LINKS:
        triggers += [
            (f"directory_{table}_added", table,
             f"AFTER INSERT ON {table} BEGIN {_note('SELECT NEW.service_id AS s')} END"),
            (f"directory_{table}_removed", table,
             f"AFTER DELETE ON {table} BEGIN {_note('SELECT OLD.service_id AS s')} END"),
            (f"directory_{table}_changed", table,
             f"""AFTER UPDATE ON {table} BEGIN {_note('SELECT OLD.service_id AS s')}
                 {_note('SELECT NEW.service_id AS s')} END"""),
        ]  # fmt: skip
    for event in ("INSERT", "UPDATE", "DELETE"):
        name, note = f"directory_areas_{event.lower()}", _note(f"SELECT {AREAS} AS s")
        triggers.append((name, "areas", f"AFTER {event} ON areas BEGIN {note} END"))
    return triggers


# -- PostgreSQL: once per statement, over the rows it changed


def _pg_note(services: str) -> str:
    return f"""INSERT INTO directory_changes (service_id, changed)
        SELECT DISTINCT s, pg_current_xact_id()::text::bigint FROM ({services}) n ORDER BY s
        ON CONFLICT (service_id) DO UPDATE SET changed = EXCLUDED.changed
        WHERE directory_changes.changed <> EXCLUDED.changed;"""  # noted by this transaction


def _pg_at(rows: str) -> str:
    return f"""SELECT sl.service_id AS s FROM service_at_locations sl
               WHERE sl.location_id IN (SELECT location_id FROM {rows})"""


def _postgresql(_pg_note=_pg_note) -> list[tuple[str, str, str, str]]:
    """(name, table, its function's body, the rest of its CREATE TRIGGER), noting services by
    `_pg_note` (0089 passes its own)."""
    both = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    triggers = [
        ("directory_service_added", "services", _pg_note("SELECT id AS s FROM new_rows"),
         "AFTER INSERT ON services REFERENCING NEW TABLE AS new_rows"),
        ("directory_service_changed", "services",
         _pg_note(f"""SELECT n.id AS s FROM new_rows n JOIN old_rows o ON o.id = n.id
                      WHERE {_differ(SEEN, "n", "o", "IS DISTINCT FROM")}"""),
         f"AFTER UPDATE ON services {both}"),
        ("directory_service_deleted", "services", _pg_note("SELECT id AS s FROM old_rows"),
         "AFTER DELETE ON services REFERENCING OLD TABLE AS old_rows"),
        ("directory_place_moved", "locations",
         _pg_note(f"""SELECT sl.service_id AS s FROM new_rows n
                      JOIN old_rows o ON o.id = n.id
                      JOIN service_at_locations sl ON sl.location_id = n.id
                      WHERE {_differ(WHERE, "n", "o", "IS DISTINCT FROM")}"""),
         f"AFTER UPDATE ON locations {both}"),
        ("directory_place_area_added", "location_areas", _pg_note(_pg_at("new_rows")),
         "AFTER INSERT ON location_areas REFERENCING NEW TABLE AS new_rows"),
        ("directory_place_area_removed", "location_areas", _pg_note(_pg_at("old_rows")),
         "AFTER DELETE ON location_areas REFERENCING OLD TABLE AS old_rows"),
        ("directory_place_area_changed", "location_areas",
         _pg_note(f"{_pg_at('old_rows')} UNION {_pg_at('new_rows')}"),
         f"AFTER UPDATE ON location_areas {both}"),
    ]  # fmt: skip
    for table in LINKS:
        triggers += [
            (f"directory_{table}_added", table, _pg_note("SELECT service_id AS s FROM new_rows"),
             f"AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows"),
            (f"directory_{table}_removed", table,
             _pg_note("SELECT service_id AS s FROM old_rows"),
             f"AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows"),
            (f"directory_{table}_changed", table,
             _pg_note("""SELECT service_id AS s FROM old_rows
                         UNION SELECT service_id FROM new_rows"""),
             f"AFTER UPDATE ON {table} {both}"),
        ]  # fmt: skip
    triggers.append(("directory_areas_changed", "areas", _pg_note(f"SELECT {AREAS} AS s"),
                     "AFTER INSERT OR UPDATE OR DELETE ON areas"))  # fmt: skip
    return triggers


def create_triggers(sqlite_note=_note, pg_note=_pg_note) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, _table, body, when in _postgresql(pg_note):
            op.execute(f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN {body} RETURN NULL; END $$""")
            op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    else:
        for name, _table, rest in _sqlite(sqlite_note):
            op.execute(f"CREATE TRIGGER {name} {rest}")


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _body, _when in _postgresql():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name, _table, _rest in _sqlite():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    op.create_table(
        "directory_changes",
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("changed", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_directory_changes")),
    )
    op.create_index(op.f("ix_directory_changes_changed"), "directory_changes", ["changed"])
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_index(op.f("ix_directory_changes_changed"), table_name="directory_changes")
    op.drop_table("directory_changes")
