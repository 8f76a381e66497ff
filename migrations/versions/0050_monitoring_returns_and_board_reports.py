"""monitoring returns and board reports: funded projects' targets, quarterly returns and
their reminders; the report's PDFs and the board's monthly emails. Only new tables: no existing
row changes (a funded project with no target is measured against its bid until one is set).

Revision ID: 0050
Revises: 0032
Create Date: 2026-11-29 16:43:46.947513

"""

import sqlalchemy as sa
from alembic import op

revision = "0050"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_report_mailings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_mailings")),
        sa.UniqueConstraint("user_id", "month", name=op.f("uq_report_mailings_user_id")),
    )
    with op.batch_alter_table("report_mailings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_mailings_user_id"), ["user_id"], unique=False)

    op.create_table(
        "report_pdfs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_report_pdfs_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["made_by_id"],
            ["users.id"],
            name=op.f("fk_report_pdfs_made_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_pdfs")),
    )
    with op.batch_alter_table("report_pdfs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_pdfs_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_pdfs_made_by_id"), ["made_by_id"], unique=False)

    op.create_table(
        "mon_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["pb_funded_projects.id"],
            name=op.f("fk_mon_reminders_project_id_pb_funded_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mon_reminders")),
        sa.UniqueConstraint(
            "project_id", "period_start", "sent_on", name=op.f("uq_mon_reminders_project_id")
        ),
    )
    with op.batch_alter_table("mon_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mon_reminders_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "mon_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["pb_funded_projects.id"],
            name=op.f("fk_mon_returns_project_id_pb_funded_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_mon_returns_reviewed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_mon_returns_submitted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mon_returns")),
        sa.UniqueConstraint("project_id", "period_start", name=op.f("uq_mon_returns_project_id")),
    )
    with op.batch_alter_table("mon_returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mon_returns_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mon_returns_status"), ["status"], unique=False)

    op.create_table(
        "mon_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("minimum_age", sa.Integer(), nullable=False),
        sa.Column("maximum_age", sa.Integer(), nullable=False),
        sa.Column("share", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("quarters", sa.Integer(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["pb_funded_projects.id"],
            name=op.f("fk_mon_targets_project_id_pb_funded_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_mon_targets_set_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mon_targets")),
        sa.UniqueConstraint("project_id", name=op.f("uq_mon_targets_project_id")),
    )
    op.create_table(
        "mon_target_areas",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_mon_target_areas_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["mon_targets.id"],
            name=op.f("fk_mon_target_areas_target_id_mon_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("target_id", "area_id", name=op.f("pk_mon_target_areas")),
    )


def downgrade():
    op.drop_table("mon_target_areas")
    op.drop_table("mon_targets")
    with op.batch_alter_table("mon_returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mon_returns_status"))
        batch_op.drop_index(batch_op.f("ix_mon_returns_project_id"))

    op.drop_table("mon_returns")
    with op.batch_alter_table("mon_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mon_reminders_project_id"))

    op.drop_table("mon_reminders")
    with op.batch_alter_table("report_pdfs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_pdfs_made_by_id"))
        batch_op.drop_index(batch_op.f("ix_report_pdfs_job_id"))

    op.drop_table("report_pdfs")
    with op.batch_alter_table("report_mailings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_mailings_user_id"))

    op.drop_table("report_mailings")
