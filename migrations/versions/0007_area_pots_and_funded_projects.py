"""area pots, ambassadors' areas, round priorities, participation channel, funded projects

Every round gets one pot holding its whole budget; existing bids, ballots, participations
and paper entries move into it. Participations made before this revision are all marked
"online": the database cannot tell a paper vote from an online one without the app's secret.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

POT_TABLES = ("pb_bids", "pb_ballots", "pb_participations", "pb_paper_entries")


def upgrade():
    op.create_table(
        "pb_pots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pb_rounds.id"], name=op.f("fk_pb_pots_round_id_pb_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pb_pots")),
    )
    with op.batch_alter_table("pb_pots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pb_pots_round_id"), ["round_id"], unique=False)
    op.create_table(
        "pb_pot_areas",
        sa.Column("pot_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_pb_pot_areas_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pot_id"],
            ["pb_pots.id"],
            name=op.f("fk_pb_pot_areas_pot_id_pb_pots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pot_id", "area_id", name=op.f("pk_pb_pot_areas")),
    )
    op.create_table(
        "pb_ambassador_areas",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_pb_ambassador_areas_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pb_ambassador_areas_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "area_id", name=op.f("pk_pb_ambassador_areas")),
    )
    op.create_table(
        "pb_funded_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("funded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bid_id"], ["pb_bids.id"], name=op.f("fk_pb_funded_projects_bid_id_pb_bids")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pb_rounds.id"], name=op.f("fk_pb_funded_projects_round_id_pb_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pb_funded_projects")),
        sa.UniqueConstraint("bid_id", name=op.f("uq_pb_funded_projects_bid_id")),
    )
    with op.batch_alter_table("pb_funded_projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pb_funded_projects_round_id"), ["round_id"], unique=False
        )
    with op.batch_alter_table("pb_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priorities", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("eligibility", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("pb_bids", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("theme", sa.String(length=120), nullable=False, server_default="")
        )
    with op.batch_alter_table("pb_participations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=8), nullable=False, server_default="online")
        )

    op.execute("INSERT INTO pb_pots (round_id, name, amount) SELECT id, '', pot FROM pb_rounds")
    for table in POT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("pot_id", sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET pot_id = (SELECT MIN(pb_pots.id) FROM pb_pots "
            f"WHERE pb_pots.round_id = {table}.round_id)"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("pot_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_pot_id"), ["pot_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_pot_id_pb_pots"), "pb_pots", ["pot_id"], ["id"]
            )
    with op.batch_alter_table("pb_ballots", schema=None) as batch_op:
        batch_op.drop_constraint("uq_pb_ballots_round_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_pb_ballots_pot_id"), ["pot_id", "voter_key"]
        )
    with op.batch_alter_table("pb_participations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_pb_participations_round_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_pb_participations_pot_id"), ["pot_id", "user_id"]
        )


def downgrade():
    with op.batch_alter_table("pb_participations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_pb_participations_pot_id", type_="unique")
        batch_op.create_unique_constraint("uq_pb_participations_round_id", ["round_id", "user_id"])
    with op.batch_alter_table("pb_ballots", schema=None) as batch_op:
        batch_op.drop_constraint("uq_pb_ballots_pot_id", type_="unique")
        batch_op.create_unique_constraint("uq_pb_ballots_round_id", ["round_id", "voter_key"])
    for table in reversed(POT_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_pot_id_pb_pots", type_="foreignkey")
            batch_op.drop_index(f"ix_{table}_pot_id")
            batch_op.drop_column("pot_id")
    with op.batch_alter_table("pb_participations", schema=None) as batch_op:
        batch_op.drop_column("channel")
    with op.batch_alter_table("pb_bids", schema=None) as batch_op:
        batch_op.drop_column("theme")
    with op.batch_alter_table("pb_rounds", schema=None) as batch_op:
        batch_op.drop_column("eligibility")
        batch_op.drop_column("priorities")
    with op.batch_alter_table("pb_funded_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pb_funded_projects_round_id"))
    op.drop_table("pb_funded_projects")
    op.drop_table("pb_ambassador_areas")
    op.drop_table("pb_pot_areas")
    with op.batch_alter_table("pb_pots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pb_pots_round_id"))
    op.drop_table("pb_pots")
