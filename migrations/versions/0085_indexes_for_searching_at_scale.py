"""indexes for finding support at scale: places to their services without the table, online
services by index, and no index on a service's status (nearly all active)

Revision ID: 0085
Revises: 0081
Create Date: 2026-11-29 20:50:00

"""

from alembic import op

revision = "0085"
down_revision = "0081"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service_at_locations", schema=None) as batch_op:
        batch_op.drop_index("ix_service_at_locations_location_id")
        batch_op.create_index(
            "ix_service_at_locations_location_service", ["location_id", "service_id"], unique=False
        )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index("ix_services_status")
        batch_op.create_index("ix_services_virtual", ["virtual"], unique=False)


def downgrade():
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index("ix_services_virtual")
        batch_op.create_index("ix_services_status", ["status"], unique=False)
    with op.batch_alter_table("service_at_locations", schema=None) as batch_op:
        batch_op.drop_index("ix_service_at_locations_location_service")
        batch_op.create_index("ix_service_at_locations_location_id", ["location_id"], unique=False)
