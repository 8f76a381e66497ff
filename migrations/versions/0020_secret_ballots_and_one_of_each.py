"""secret ballots: random ballot ids and no times on ballots or participations; one pot per
name and one bid per title in a round

Ballots get random ids (existing ones are renumbered at random) and lose `updated_at`;
participations lose `first_voted_at`: together they could be matched to say who cast which
ballot. Pots in a round must have different names, and an organisation's bids in a round
different titles, so that a second click adds nothing; existing repeats get " (2)", " (3)"…

Revision ID: 0020
Revises: 0014
Create Date: 2026-11-29 15:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0014"
branch_labels = None
depends_on = None


def _renumber_ballots(connection) -> None:
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM pb_ballots"))]
    fresh: set[int] = set()
    while len(fresh) < len(ids):
        fresh.add(secrets.randbelow(2**62) + 1)
    # Negative first, so that no new id meets an old one on the way.
    for old in ids:
        connection.execute(
            sa.text("UPDATE pb_ballots SET id = :new WHERE id = :old"),
            {
                "new": -old,
                "old": old,
            },
        )
    for old, new in zip(ids, fresh, strict=True):
        connection.execute(
            sa.text("UPDATE pb_ballots SET id = :new WHERE id = :old"),
            {
                "new": new,
                "old": -old,
            },
        )


def _dedupe(connection, table: str, key: str, column: str, length: int) -> None:
    """Give repeated names within a key a number, so the new unique rule holds."""
    rows = connection.execute(sa.text(f"SELECT id, {key}, {column} FROM {table} ORDER BY id"))
    seen: dict[tuple, int] = {}
    for row_id, *group, name in rows.all():
        count = seen.get((*group, name), 0) + 1
        seen[(*group, name)] = count
        if count > 1:
            suffix = f" ({count})"
            connection.execute(
                sa.text(f"UPDATE {table} SET {column} = :name WHERE id = :id"),
                {"name": name[: length - len(suffix)] + suffix, "id": row_id},
            )


def upgrade():
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    with op.batch_alter_table("pb_ballots", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        if postgres:
            batch_op.alter_column(
                "id", existing_type=sa.Integer(), type_=sa.BigInteger(), server_default=None
            )
    if postgres:
        op.execute("DROP SEQUENCE IF EXISTS pb_ballots_id_seq CASCADE")
    _renumber_ballots(connection)
    with op.batch_alter_table("pb_participations", schema=None) as batch_op:
        batch_op.drop_column("first_voted_at")
    _dedupe(connection, "pb_pots", "round_id", "name", 80)
    _dedupe(connection, "pb_bids", "round_id, organisation_id", "title", 120)
    with op.batch_alter_table("pb_pots", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_pb_pots_round_id"), ["round_id", "name"])
    with op.batch_alter_table("pb_bids", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_pb_bids_round_id"), ["round_id", "organisation_id", "title"]
        )


def downgrade():
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    with op.batch_alter_table("pb_bids", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pb_bids_round_id"), type_="unique")
    with op.batch_alter_table("pb_pots", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pb_pots_round_id"), type_="unique")
    with op.batch_alter_table("pb_participations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("first_voted_at", sa.DateTime(), nullable=False, server_default=sa.func.now())
        )
    # Ballot ids go back to small numbers, in an order of their own (not the order cast).
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM pb_ballots ORDER BY id"))]
    for number, old in enumerate(ids, start=1):
        connection.execute(
            sa.text("UPDATE pb_ballots SET id = :new WHERE id = :old"), {"new": number, "old": old}
        )
    with op.batch_alter_table("pb_ballots", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=sa.func.now())
        )
        if postgres:
            batch_op.alter_column("id", existing_type=sa.BigInteger(), type_=sa.Integer())
    if postgres:
        op.execute("CREATE SEQUENCE pb_ballots_id_seq OWNED BY pb_ballots.id")
        op.execute(
            "SELECT setval('pb_ballots_id_seq', COALESCE((SELECT MAX(id) FROM pb_ballots), 0) + 1,"
            " false)"
        )
        op.execute(
            "ALTER TABLE pb_ballots ALTER COLUMN id SET DEFAULT nextval('pb_ballots_id_seq')"
        )
