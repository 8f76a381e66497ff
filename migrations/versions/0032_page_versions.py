"""page versions: each public content's version, moved on by every committed write to it

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-29 17:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_versions",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_page_versions")),
    )


def downgrade():
    op.drop_table("page_versions")
