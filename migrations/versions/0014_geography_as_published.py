"""geography as published: boundary editions and groupings drawn from their children;
postcodes with their sector, district, ward and LSOAs

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("editions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("from_children", sa.Boolean(), nullable=True))
    op.execute("UPDATE areas SET editions = '[]', from_children = false")
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.alter_column("editions", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("from_children", existing_type=sa.Boolean(), nullable=False)

    with op.batch_alter_table("postcodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("district", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("sector", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("ward_code", sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column("lsoa11_code", sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column("lsoa21_code", sa.String(length=9), nullable=True))
    # Postcodes are kept without their space: the inward code is always the last three.
    op.execute(
        "UPDATE postcodes SET district = substr(postcode, 1, length(postcode) - 3), "
        "sector = substr(postcode, 1, length(postcode) - 3) || ' ' "
        "|| substr(postcode, length(postcode) - 2, 1)"
    )
    with op.batch_alter_table("postcodes", schema=None) as batch_op:
        batch_op.alter_column("district", existing_type=sa.String(length=4), nullable=False)
        batch_op.alter_column("sector", existing_type=sa.String(length=6), nullable=False)
        batch_op.create_index(batch_op.f("ix_postcodes_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_postcodes_sector"), ["sector"], unique=False)


def downgrade():
    with op.batch_alter_table("postcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postcodes_sector"))
        batch_op.drop_index(batch_op.f("ix_postcodes_district"))
        batch_op.drop_column("lsoa21_code")
        batch_op.drop_column("lsoa11_code")
        batch_op.drop_column("ward_code")
        batch_op.drop_column("sector")
        batch_op.drop_column("district")
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.drop_column("from_children")
        batch_op.drop_column("editions")
