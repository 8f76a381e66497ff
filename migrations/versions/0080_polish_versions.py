"""Polish versions: our categories' names and descriptions, and the Polish an officer or
provider may give for a service's description, a bid and a response

Revision ID: 0080
Revises: 0060
Create Date: 2026-11-29 17:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0080"
down_revision = "0060"
branch_labels = None
depends_on = None

COLUMNS = {
    "taxonomy_terms": [("name_pl", sa.String(length=200)), ("description_pl", sa.Text())],
    "services": [("description_pl", sa.Text())],
    "pb_bids": [("title_pl", sa.String(length=120)), ("summary_pl", sa.Text())],
    "ysd_responses": [
        ("title_pl", sa.String(length=160)),
        ("you_said_pl", sa.Text()),
        ("we_did_pl", sa.Text()),
    ],
}

# The demo categories' Polish names, for a database loaded before they had them (the same
# words as seed_assets/services.json).
CATEGORY_NAMES = {
    "youth-activities": "Kluby i zajęcia dla młodzieży",
    "mentoring": "Mentoring",
    "sport": "Sport i aktywność fizyczna",
    "mental-health": "Zdrowie psychiczne i samopoczucie",
    "domestic-abuse": "Przemoc domowa",
    "substance-misuse": "Narkotyki i alkohol",
    "parenting": "Wsparcie dla rodziców i rodzin",
    "food-and-money": "Pomoc z jedzeniem i pieniędzmi",
    "faith-and-community": "Grupy wyznaniowe i społeczne",
    "bleed-kits": "Zestawy do tamowania krwotoków",
    "education-and-employment": "Nauka, szkolenia i praca",
    "sexual-health-and-relationships": "Zdrowie seksualne i związki",
    "victim-support": "Wsparcie po przestępstwie",
    "housing": "Mieszkanie i bezdomność",
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, kind in columns:
                batch_op.add_column(sa.Column(name, kind, nullable=True))
        op.execute(" ".join([f"UPDATE {table} SET", ", ".join(f"{n} = ''" for n, _ in columns)]))
        with op.batch_alter_table(table) as batch_op:
            for name, kind in columns:
                batch_op.alter_column(name, existing_type=kind, nullable=False)
    terms = sa.table("taxonomy_terms", sa.column("id", sa.String), sa.column("name_pl", sa.String))
    for term_id, name in CATEGORY_NAMES.items():
        op.execute(terms.update().where(terms.c.id == term_id).values(name_pl=name))


def downgrade():
    for table, columns in reversed(COLUMNS.items()):
        with op.batch_alter_table(table) as batch_op:
            for name, _kind in reversed(columns):
                batch_op.drop_column(name)
