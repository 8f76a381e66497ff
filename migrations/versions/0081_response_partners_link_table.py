"""the partners responsible for a response as rows of a link table, not a comma string

Revision ID: 0081
Revises: 0080
Create Date: 2026-11-29 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0081"
down_revision = "0080"
branch_labels = None
depends_on = None

responses = sa.table("ysd_responses", sa.column("id", sa.Integer), sa.column("partners", sa.String))
links = sa.table(
    "ysd_response_partners", sa.column("response_id", sa.Integer), sa.column("partner", sa.String)
)


def upgrade():
    op.create_table(
        "ysd_response_partners",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["ysd_responses.id"],
            name=op.f("fk_ysd_response_partners_response_id_ysd_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "partner", name=op.f("pk_ysd_response_partners")),
    )
    with op.batch_alter_table("ysd_response_partners") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ysd_response_partners_partner"), ["partner"], unique=False
        )
    connection = op.get_bind()
    rows = [
        {"response_id": response_id, "partner": partner}
        for response_id, partners in connection.execute(
            sa.select(responses.c.id, responses.c.partners)
        )
        for partner in dict.fromkeys((partners or "").split(","))
        if partner
    ]
    if rows:
        op.bulk_insert(links, rows)
    with op.batch_alter_table("ysd_responses") as batch_op:
        batch_op.drop_column("partners")


def downgrade():
    with op.batch_alter_table("ysd_responses") as batch_op:
        batch_op.add_column(sa.Column("partners", sa.String(length=200), nullable=True))
    connection = op.get_bind()
    chosen: dict[int, list[str]] = {}
    for response_id, partner in connection.execute(sa.select(links.c.response_id, links.c.partner)):
        chosen.setdefault(response_id, []).append(partner)
    op.execute(responses.update().values(partners=""))
    for response_id, partners in chosen.items():
        op.execute(
            responses.update()
            .where(responses.c.id == response_id)
            .values(partners="," + ",".join(partners) + ",")
        )
    with op.batch_alter_table("ysd_responses") as batch_op:
        batch_op.alter_column("partners", existing_type=sa.String(length=200), nullable=False)
    op.drop_table("ysd_response_partners")
