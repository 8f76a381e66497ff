"""the directory's change notes are appended, never updated: a row for each service and change,
so no writer ever waits for another's note

Revision ID: 0089
Revises: 0088
Create Date: 2026-11-30 07:00:00

0088 kept one note per service and moved its `changed` on in place. On PostgreSQL that row
stayed locked until the writer's transaction ended, so a second writer changing the same
service waited for it, and two long transactions changing the links of the same services in
opposite orders (an import and a harvest at the same moment) could deadlock: one of them was
ended with an error.

Now each change adds its own row, `(service_id, changed)`:
- on PostgreSQL `changed` is the writer's transaction id, so no other transaction ever writes
  the same row: a note never waits (a second note of the same service by the same
  transaction is skipped);
- on SQLite it is one more than the greatest, as before (writers take turns there anyway).

A reader tells notes apart by service and number. A service's older notes are made redundant
by its newer ones: `flask assets tidy-notes` (weekly) removes them (see
`engage/asset_map/directory_index.py` for why, on PostgreSQL, it leaves a note of its own).

The triggers are 0088's, with the new note.
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0089"
down_revision = "0088"
branch_labels = None
depends_on = None


def _0088():
    """Migration 0088, for its triggers (a migration's file is not an importable module)."""
    path = Path(__file__).with_name("0088_directory_changes_for_the_gap_table.py")
    spec = importlib.util.spec_from_file_location("engage_migration_0088", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _note(services: str) -> str:
    """SQLite: a new note for each of the services `services` (a SELECT of ids)."""
    return f"""INSERT INTO directory_changes (service_id, changed)
        SELECT DISTINCT s, (SELECT coalesce(max(changed), 0) + 1 FROM directory_changes)
        FROM ({services}) WHERE true
        ON CONFLICT DO NOTHING;"""


def _pg_note(services: str) -> str:
    """PostgreSQL: a note of this transaction for each service (once per transaction)."""
    return f"""INSERT INTO directory_changes (service_id, changed)
        SELECT DISTINCT s, pg_current_xact_id()::text::bigint FROM ({services}) n
        ON CONFLICT DO NOTHING;"""


def _primary_key(*columns: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE directory_changes DROP CONSTRAINT pk_directory_changes")
        op.create_primary_key("pk_directory_changes", "directory_changes", list(columns))
        return
    # SQLite copies the table to change its key
    with op.batch_alter_table("directory_changes", recreate="always") as batch:
        batch.drop_constraint("pk_directory_changes", type_="primary")
        batch.create_primary_key("pk_directory_changes", list(columns))


def upgrade():
    earlier = _0088()
    earlier.drop_triggers()
    _primary_key("service_id", "changed")
    earlier.create_triggers(sqlite_note=_note, pg_note=_pg_note)


def downgrade():
    earlier = _0088()
    earlier.drop_triggers()
    op.execute(
        sa.text("""DELETE FROM directory_changes WHERE EXISTS (
            SELECT 1 FROM directory_changes n WHERE n.service_id = directory_changes.service_id
            AND n.changed > directory_changes.changed)""")
    )
    _primary_key("service_id")
    earlier.create_triggers()
