"""searches counted once per anonymous visitor per day: the flag on each logged search, and
the day's salt and visits (kept only for the day)

Revision ID: 0060
Revises: 0050
Create Date: 2026-11-30 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0060"
down_revision = "0050"
branch_labels = None
depends_on = None

FEW_RESULTS = 3


def upgrade():
    with op.batch_alter_table("search_logs") as batch_op:
        batch_op.add_column(
            sa.Column("counts_for_gaps", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            batch_op.f("ix_search_logs_counts_for_gaps"), ["counts_for_gaps"], unique=False
        )
    # Searches logged before this counted in the gap analysis as they were; they keep counting,
    # so the figures do not jump on the day of the upgrade.
    logs = sa.table(
        "search_logs",
        sa.column("counts_for_gaps", sa.Boolean()),
        sa.column("result_count", sa.Integer()),
        sa.column("area_id", sa.Integer()),
    )
    op.execute(
        logs.update()
        .where(logs.c.result_count < FEW_RESULTS, logs.c.area_id.is_not(None))
        .values(counts_for_gaps=True)
    )
    with op.batch_alter_table("search_logs") as batch_op:
        batch_op.alter_column("counts_for_gaps", server_default=None)
    op.create_table(
        "search_day_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_search_day_salts")),
    )
    op.create_table(
        "search_visits",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_search_visits")),
    )
    with op.batch_alter_table("search_visits") as batch_op:
        batch_op.create_index(batch_op.f("ix_search_visits_day"), ["day"], unique=False)


def downgrade():
    with op.batch_alter_table("search_visits") as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_visits_day"))
    op.drop_table("search_visits")
    op.drop_table("search_day_salts")
    with op.batch_alter_table("search_logs") as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_logs_counts_for_gaps"))
        batch_op.drop_column("counts_for_gaps")
