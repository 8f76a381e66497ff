"""each feedback item keeps the moment of its first published answer, kept up to date by the
database itself, so the accountability dashboards count it without grouping every link (and
read what they count from one covering index, which replaces the index on status alone)

Revision ID: 0086
Revises: 0085
Create Date: 2026-11-29 23:55:00

`fb_items.first_answered_at` is the earliest `published_at` of the published responses linked
to the item (NULL when none is). Triggers keep it: on a link added, removed or changed, and on
a response's stage or publication moment changing; a response deleted removes its links, which
fires the link trigger. On PostgreSQL the item's row is locked before its answer is read again,
so two officers publishing at the same moment each see the other's work; its triggers run once
per statement, over the rows the statement changed, so a bulk insert of links is one update.

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
TRIGGERS = [  # the same names on both databases
    "ysd_first_answer_link_added",
    "ysd_first_answer_link_removed",
    "ysd_first_answer_link_changed",
    "ysd_first_answer_response_changed",
]


def _refresh_all(items: str) -> str:
    """PostgreSQL: lock the items (`items` is a query of their ids), then read their answers
    again, grouped in one pass, in a statement of its own, which sees whatever the lock waited
    for. Both are planned afresh each time (EXECUTE), for the number of rows at hand."""
    lock = f"SELECT 1 FROM fb_items WHERE id IN ({items}) ORDER BY id FOR UPDATE"
    refresh = f"""UPDATE fb_items SET first_answered_at = f.at
        FROM (SELECT t.item_id, min(r.published_at) AS at
              FROM ({items}) t
              LEFT JOIN ysd_response_items l ON l.item_id = t.item_id
              LEFT JOIN ysd_responses r ON r.id = l.response_id AND r.stage = 'published'
              GROUP BY t.item_id) f
        WHERE fb_items.id = f.item_id"""
    return f"EXECUTE $q${lock}$q$; EXECUTE $q${refresh}$q$;"


# Statement-level, over the rows each statement changed (transition tables): one update for a
# whole bulk insert, planned for its size, rather than one per link.
POSTGRESQL = [
    f"""CREATE FUNCTION ysd_first_answer_links_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_refresh_all("SELECT DISTINCT item_id FROM added")} RETURN NULL; END $$""",
    """CREATE TRIGGER ysd_first_answer_link_added AFTER INSERT ON ysd_response_items
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION ysd_first_answer_links_added()""",
    f"""CREATE FUNCTION ysd_first_answer_links_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_refresh_all("SELECT DISTINCT item_id FROM removed")} RETURN NULL; END $$""",
    """CREATE TRIGGER ysd_first_answer_link_removed AFTER DELETE ON ysd_response_items
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION ysd_first_answer_links_removed()""",
    f"""CREATE FUNCTION ysd_first_answer_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_refresh_all("SELECT item_id FROM before UNION SELECT item_id FROM after")}
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER ysd_first_answer_link_changed AFTER UPDATE ON ysd_response_items
        REFERENCING OLD TABLE AS before NEW TABLE AS after
        FOR EACH STATEMENT EXECUTE FUNCTION ysd_first_answer_links_changed()""",
    f"""CREATE FUNCTION ysd_first_answer_responses_changed() RETURNS trigger LANGUAGE plpgsql
    AS $$
    BEGIN
        {
        _refresh_all(
            "SELECT l.item_id FROM ysd_response_items l JOIN after a ON a.id = l.response_id"
            " JOIN before b ON b.id = a.id WHERE a.stage IS DISTINCT FROM b.stage"
            " OR a.published_at IS DISTINCT FROM b.published_at"
        )
    }
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER ysd_first_answer_response_changed AFTER UPDATE ON ysd_responses
        REFERENCING OLD TABLE AS before NEW TABLE AS after
        FOR EACH STATEMENT EXECUTE FUNCTION ysd_first_answer_responses_changed()""",
]
POSTGRESQL_FUNCTIONS = [
    "ysd_first_answer_links_added",
    "ysd_first_answer_links_removed",
    "ysd_first_answer_links_changed",
    "ysd_first_answer_responses_changed",
]


def create_triggers() -> None:
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def drop_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in TRIGGERS:
        table = "ysd_responses" if name.endswith("response_changed") else "ysd_response_items"
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    for name in POSTGRESQL_FUNCTIONS if postgresql else []:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade():
    with op.batch_alter_table("fb_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_answered_at", sa.DateTime(), nullable=True))
    op.create_index("ix_ysd_response_items_item_id", "ysd_response_items", ["item_id"])
    op.create_index(
        "ix_fb_items_answers",
        "fb_items",
        ["status", "area_id", "received_on", "first_answered_at", "id"],
    )
    op.drop_index("ix_fb_items_status", table_name="fb_items")  # the new one starts with it
    op.execute(f"UPDATE fb_items SET first_answered_at = {first_of('fb_items.id')}")
    create_triggers()


def downgrade():
    drop_triggers()
    op.create_index("ix_fb_items_status", "fb_items", ["status"])
    op.drop_index("ix_fb_items_answers", table_name="fb_items")
    op.drop_index("ix_ysd_response_items_item_id", table_name="ysd_response_items")
    with op.batch_alter_table("fb_items", schema=None) as batch_op:
        batch_op.drop_column("first_answered_at")
