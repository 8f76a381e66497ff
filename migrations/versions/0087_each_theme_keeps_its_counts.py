"""each theme keeps how many approved items have it and how many of those have had a published
answer, kept up to date by the database itself, so the accountability dashboards need not join
every item to its themes

Revision ID: 0087
Revises: 0086
Create Date: 2026-11-30 03:00:00

`fb_themes.approved_items` counts the approved items linked to the theme;
`fb_themes.answered_items` those of them with a first answer (`fb_items.first_answered_at`,
which migration 0086's triggers keep). Triggers keep both:
- on a theme linked to an item or unlinked from it (by the item's status and answer then);
- on an item's status or first answer changing (for each of its themes);
- on an item deleted, before it goes (its links may go after it, by cascade, or before it,
  by the ORM: a link whose item is gone counts nothing, so neither way counts twice).

On PostgreSQL the triggers run once per statement, over the rows it changed. A link's item is
locked (FOR SHARE) before its status is read, so a theme linked while another officer moderates
the item is counted by one of the two and not lost; themes are updated one at a time in id
order, so two writers never wait for each other's themes in opposite orders.

A later migration that rebuilds `fb_items`, `fb_item_themes` or `fb_themes` (SQLite's batch
mode copies a table to change it) drops their triggers: create them again with
`create_triggers()`. `tests/you_said_we_did/test_theme_counts.py` fails if they are missing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0087"
down_revision = "0086"
branch_labels = None
depends_on = None

APPROVED = "'approved'"


def _counts(sign: str, item: str, theme: str) -> str:
    """SQLite: the theme's counts moved by one link, its item given by `item`."""
    return f"""UPDATE fb_themes SET
        approved_items = approved_items {sign} 1,
        answered_items = answered_items {sign} (SELECT i.first_answered_at IS NOT NULL
                                                 FROM fb_items i WHERE i.id = {item})
        WHERE id = {theme} AND EXISTS (SELECT 1 FROM fb_items i
                                       WHERE i.id = {item} AND i.status = {APPROVED});"""


def _flags(row: str) -> tuple[str, str]:
    """As 0 or 1: whether the item `row` is counted, and whether it is counted as answered."""
    approved = f"({row}.status = {APPROVED})"
    return approved, f"({approved} AND {row}.first_answered_at IS NOT NULL)"


_NEW_APPROVED, _NEW_ANSWERED = _flags("NEW")
_OLD_APPROVED, _OLD_ANSWERED = _flags("OLD")

SQLITE = [
    f"""CREATE TRIGGER fb_theme_counts_link_added AFTER INSERT ON fb_item_themes
        BEGIN {_counts("+", "NEW.item_id", "NEW.theme_id")} END""",
    f"""CREATE TRIGGER fb_theme_counts_link_removed AFTER DELETE ON fb_item_themes
        BEGIN {_counts("-", "OLD.item_id", "OLD.theme_id")} END""",
    f"""CREATE TRIGGER fb_theme_counts_link_changed AFTER UPDATE ON fb_item_themes
        BEGIN {_counts("-", "OLD.item_id", "OLD.theme_id")}
              {_counts("+", "NEW.item_id", "NEW.theme_id")} END""",
    f"""CREATE TRIGGER fb_theme_counts_item_changed AFTER UPDATE OF status, first_answered_at
        ON fb_items
        WHEN {_NEW_APPROVED} != {_OLD_APPROVED} OR {_NEW_ANSWERED} != {_OLD_ANSWERED}
        BEGIN UPDATE fb_themes SET
            approved_items = approved_items + {_NEW_APPROVED} - {_OLD_APPROVED},
            answered_items = answered_items + {_NEW_ANSWERED} - {_OLD_ANSWERED}
        WHERE id IN (SELECT theme_id FROM fb_item_themes WHERE item_id = NEW.id); END""",
    f"""CREATE TRIGGER fb_theme_counts_item_deleted BEFORE DELETE ON fb_items
        WHEN {_OLD_APPROVED}
        BEGIN UPDATE fb_themes SET
            approved_items = approved_items - 1,
            answered_items = answered_items - {_OLD_ANSWERED}
        WHERE id IN (SELECT theme_id FROM fb_item_themes WHERE item_id = OLD.id); END""",
]


def _apply(deltas: str) -> str:
    """PostgreSQL: add each theme's (approved, answered) delta, one theme at a time in id order
    (`deltas` is a query of theme_id, approved, answered). Planned afresh each time (EXECUTE),
    for the number of rows at hand."""
    return f"""FOR r IN EXECUTE $q$SELECT * FROM ({deltas}) d
                 WHERE d.approved <> 0 OR d.answered <> 0 ORDER BY d.theme_id$q$ LOOP
            UPDATE fb_themes SET approved_items = approved_items + r.approved,
                                 answered_items = answered_items + r.answered
            WHERE id = r.theme_id;
        END LOOP;"""


def _links(links: str, sign: str) -> str:
    """PostgreSQL: the links' items locked, then their themes' counts moved by `sign`."""
    lock = f"SELECT 1 FROM fb_items WHERE id IN (SELECT item_id FROM {links}) ORDER BY id FOR SHARE"
    deltas = f"""SELECT l.theme_id, {sign} count(*) AS approved,
                        {sign} count(i.first_answered_at) AS answered
                 FROM {links} l JOIN fb_items i ON i.id = l.item_id
                 WHERE i.status = {APPROVED} GROUP BY l.theme_id"""
    return f"EXECUTE $q${lock}$q$; {_apply(deltas)}"


def _function(name: str, body: str) -> str:
    """PostgreSQL: a trigger function; its body returns NULL unless it says otherwise."""
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE r record;
    BEGIN {body} RETURN NULL; END $$"""


_A_APPROVED, _A_ANSWERED = _flags("a")
_B_APPROVED, _B_ANSWERED = _flags("b")

POSTGRESQL = [
    _function("fb_theme_counts_links_added", _links("added", "")),
    """CREATE TRIGGER fb_theme_counts_link_added AFTER INSERT ON fb_item_themes
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION fb_theme_counts_links_added()""",
    _function("fb_theme_counts_links_removed", _links("removed", "-")),
    """CREATE TRIGGER fb_theme_counts_link_removed AFTER DELETE ON fb_item_themes
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION fb_theme_counts_links_removed()""",
    _function("fb_theme_counts_links_changed", _links("before", "-") + " " + _links("after", "")),
    """CREATE TRIGGER fb_theme_counts_link_changed AFTER UPDATE ON fb_item_themes
        REFERENCING OLD TABLE AS before NEW TABLE AS after
        FOR EACH STATEMENT EXECUTE FUNCTION fb_theme_counts_links_changed()""",
    _function(
        "fb_theme_counts_items_changed",
        _apply(
            f"""SELECT l.theme_id,
                   sum({_A_APPROVED}::int - {_B_APPROVED}::int) AS approved,
                   sum({_A_ANSWERED}::int - {_B_ANSWERED}::int) AS answered
            FROM after a JOIN before b ON b.id = a.id
            JOIN fb_item_themes l ON l.item_id = a.id
            WHERE {_A_APPROVED} <> {_B_APPROVED} OR {_A_ANSWERED} <> {_B_ANSWERED}
            GROUP BY l.theme_id"""
        ),
    ),
    """CREATE TRIGGER fb_theme_counts_item_changed AFTER UPDATE ON fb_items
        REFERENCING OLD TABLE AS before NEW TABLE AS after
        FOR EACH STATEMENT EXECUTE FUNCTION fb_theme_counts_items_changed()""",
    # Before the item goes, while its links are still there to say its themes; row by row, as
    # items are erased one at a time.
    _function(
        "fb_theme_counts_item_deleted",
        f"""IF OLD.status = {APPROVED} THEN
            FOR r IN SELECT theme_id FROM fb_item_themes WHERE item_id = OLD.id
                     ORDER BY theme_id LOOP
                UPDATE fb_themes SET approved_items = approved_items - 1,
                    answered_items = answered_items - (OLD.first_answered_at IS NOT NULL)::int
                WHERE id = r.theme_id;
            END LOOP;
        END IF;
        RETURN OLD;""",
    ),
    """CREATE TRIGGER fb_theme_counts_item_deleted BEFORE DELETE ON fb_items
        FOR EACH ROW EXECUTE FUNCTION fb_theme_counts_item_deleted()""",
]
TRIGGERS = {  # the same names on both databases, and the table each is on
    "fb_theme_counts_link_added": "fb_item_themes",
    "fb_theme_counts_link_removed": "fb_item_themes",
    "fb_theme_counts_link_changed": "fb_item_themes",
    "fb_theme_counts_item_changed": "fb_items",
    "fb_theme_counts_item_deleted": "fb_items",
}
POSTGRESQL_FUNCTIONS = [
    "fb_theme_counts_links_added",
    "fb_theme_counts_links_removed",
    "fb_theme_counts_links_changed",
    "fb_theme_counts_items_changed",
    "fb_theme_counts_item_deleted",
]


def create_triggers() -> None:
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def drop_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    for name in POSTGRESQL_FUNCTIONS if postgresql else []:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade():
    with op.batch_alter_table("fb_themes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approved_items", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("answered_items", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(f"""UPDATE fb_themes SET
        approved_items = (SELECT count(*) FROM fb_item_themes l
                          JOIN fb_items i ON i.id = l.item_id
                          WHERE l.theme_id = fb_themes.id AND i.status = {APPROVED}),
        answered_items = (SELECT count(i.first_answered_at) FROM fb_item_themes l
                          JOIN fb_items i ON i.id = l.item_id
                          WHERE l.theme_id = fb_themes.id AND i.status = {APPROVED})""")
    create_triggers()


def downgrade():
    drop_triggers()
    with op.batch_alter_table("fb_themes", schema=None) as batch_op:
        batch_op.drop_column("answered_items")
        batch_op.drop_column("approved_items")
