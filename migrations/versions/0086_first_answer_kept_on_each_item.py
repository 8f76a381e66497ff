"""each feedback item keeps the moment of its first published answer, kept up to date by the
database itself, so the accountability dashboards count it without grouping every link

Revision ID: 0086
Revises: 0085
Create Date: 2026-11-29 23:55:00

`fb_items.first_answered_at` is the earliest `published_at` of the published responses linked
to the item (NULL when none is). Triggers keep it: on a link added, removed or changed, and on
a response's stage or publication moment changing; a response deleted removes its links, which
fires the link trigger. On PostgreSQL the item's row is locked before its answer is read again,
so two officers publishing at the same moment each see the other's work.

A later migration that rebuilds `ysd_response_items` or `ysd_responses` (SQLite's batch mode
copies a table to change it) drops their triggers: create them again there with
`create_triggers()`. `tests/you_said_we_did/test_first_answers.py` fails if they are missing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0086"
down_revision = "0085"
branch_labels = None
depends_on = None


def first_of(item: str) -> str:
    """The SQL for an item's first answer, the item's id given by the expression `item`."""
    return (
        "(SELECT min(r.published_at) FROM ysd_response_items l"
        " JOIN ysd_responses r ON r.id = l.response_id"
        f" WHERE l.item_id = {item} AND r.stage = 'published')"
    )


def _refresh(item: str) -> str:
    return f"UPDATE fb_items SET first_answered_at = {first_of(item)} WHERE id = {item};"


SQLITE = [
    f"""CREATE TRIGGER ysd_first_answer_link_added AFTER INSERT ON ysd_response_items
        BEGIN {_refresh("NEW.item_id")} END""",
    f"""CREATE TRIGGER ysd_first_answer_link_removed AFTER DELETE ON ysd_response_items
        BEGIN {_refresh("OLD.item_id")} END""",
    f"""CREATE TRIGGER ysd_first_answer_link_changed AFTER UPDATE ON ysd_response_items
        BEGIN {_refresh("OLD.item_id")} {_refresh("NEW.item_id")} END""",
    f"""CREATE TRIGGER ysd_first_answer_response_changed
        AFTER UPDATE OF stage, published_at ON ysd_responses
        BEGIN UPDATE fb_items SET first_answered_at = {first_of("fb_items.id")}
        WHERE id IN (SELECT item_id FROM ysd_response_items WHERE response_id = NEW.id); END""",
]
SQLITE_NAMES = [
    "ysd_first_answer_link_added",
    "ysd_first_answer_link_removed",
    "ysd_first_answer_link_changed",
    "ysd_first_answer_response_changed",
]

POSTGRESQL = [
    f"""CREATE FUNCTION ysd_first_answer_of_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM 1 FROM fb_items WHERE id = OLD.item_id FOR UPDATE;
            {_refresh("OLD.item_id")}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM 1 FROM fb_items WHERE id = NEW.item_id FOR UPDATE;
            {_refresh("NEW.item_id")}
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER ysd_first_answer_links AFTER INSERT OR UPDATE OR DELETE
        ON ysd_response_items FOR EACH ROW EXECUTE FUNCTION ysd_first_answer_of_links()""",
    f"""CREATE FUNCTION ysd_first_answer_of_responses() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM fb_items WHERE id IN
            (SELECT item_id FROM ysd_response_items WHERE response_id = NEW.id)
            ORDER BY id FOR UPDATE;
        UPDATE fb_items SET first_answered_at = {first_of("fb_items.id")}
        WHERE id IN (SELECT item_id FROM ysd_response_items WHERE response_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER ysd_first_answer_responses AFTER UPDATE OF stage, published_at
        ON ysd_responses FOR EACH ROW EXECUTE FUNCTION ysd_first_answer_of_responses()""",
]


def create_triggers() -> None:
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ysd_first_answer_responses ON ysd_responses")
        op.execute("DROP TRIGGER IF EXISTS ysd_first_answer_links ON ysd_response_items")
        op.execute("DROP FUNCTION IF EXISTS ysd_first_answer_of_responses()")
        op.execute("DROP FUNCTION IF EXISTS ysd_first_answer_of_links()")
    else:
        for name in SQLITE_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    with op.batch_alter_table("fb_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_answered_at", sa.DateTime(), nullable=True))
    op.create_index("ix_ysd_response_items_item_id", "ysd_response_items", ["item_id"])
    op.execute(f"UPDATE fb_items SET first_answered_at = {first_of('fb_items.id')}")
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_index("ix_ysd_response_items_item_id", table_name="ysd_response_items")
    with op.batch_alter_table("fb_items", schema=None) as batch_op:
        batch_op.drop_column("first_answered_at")
