"""Open Referral UK 3.0 records: stable uuids for every record (old ids kept as aliases),
taxonomies and term mappings, organisation identifiers, contacts, phones, cost options,
funding, languages, accessibility and described service areas as records of their own,
RFC 5545 schedules, fuller addresses, and the provenance of harvested records.

Revision ID: 0030
Revises: 0020
Create Date: 2026-11-29 14:00:00

"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0020"
branch_labels = None
depends_on = None

# The same namespace as engage.asset_map.oruk.ids, so the demo's ids match after migrating.
NAMESPACE = uuid.UUID("6f1d3c2a-8a51-5c1e-9a43-2f0e4f6b7d10")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FEATURES = {
    "step_free_access": "Step-free access",
    "accessible_toilet": "Accessible toilet",
    "hearing_loop": "Hearing loop",
    "bsl": "British Sign Language",
    "parking": "Parking",
    "public_transport": "Near public transport",
}


def _uuid5(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


def _is_uuid(value: str | None) -> bool:
    try:
        return value is not None and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _oruk_id():
    return sa.Column("oruk_id", sa.String(length=36), nullable=False)


def _fk(column: str, table: str, nullable: bool = True, ondelete: str = "CASCADE"):
    return sa.Column(
        column, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable
    )


def _table(name: str, *columns, indexes=()):
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("oruk_id", name=op.f(f"uq_{name}_oruk_id")),
    )
    with op.batch_alter_table(name) as batch_op:
        for column in indexes:
            batch_op.create_index(batch_op.f(f"ix_{name}_{column}"), [column], unique=False)


def _create_tables():
    op.create_table(
        "oruk_id_aliases",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("oruk_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("kind", "alias", name=op.f("pk_oruk_id_aliases")),
    )
    with op.batch_alter_table("oruk_id_aliases") as batch_op:
        batch_op.create_index(batch_op.f("ix_oruk_id_aliases_oruk_id"), ["oruk_id"], unique=False)
    op.create_table(
        "taxonomies",
        sa.Column("id", sa.Integer(), nullable=False),
        _oruk_id(),
        sa.Column("vocabulary", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uri", sa.String(length=500), nullable=True),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomies")),
        sa.UniqueConstraint("oruk_id", name=op.f("uq_taxonomies_oruk_id")),
        sa.UniqueConstraint("vocabulary", name=op.f("uq_taxonomies_vocabulary")),
    )
    op.create_table(
        "taxonomy_mappings",
        sa.Column("term_id", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["taxonomy_terms.id"],
            ondelete="CASCADE",
            name=op.f("fk_taxonomy_mappings_category_id_taxonomy_terms"),
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["taxonomy_terms.id"],
            ondelete="CASCADE",
            name=op.f("fk_taxonomy_mappings_term_id_taxonomy_terms"),
        ),
        sa.PrimaryKeyConstraint("term_id", "category_id", name=op.f("pk_taxonomy_mappings")),
    )
    with op.batch_alter_table("taxonomy_mappings") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_taxonomy_mappings_category_id"), ["category_id"], unique=False
        )
    _table(
        "organisation_identifiers",
        _oruk_id(),
        _fk("organisation_id", "organisations", nullable=False),
        sa.Column("identifier_scheme", sa.String(length=60), nullable=True),
        sa.Column("identifier_type", sa.String(length=120), nullable=False),
        sa.Column("identifier", sa.String(length=120), nullable=False),
        indexes=["organisation_id"],
    )
    _table(
        "location_accessibility",
        _oruk_id(),
        _fk("location_id", "locations", nullable=False),
        sa.Column("feature", sa.String(length=40), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=True),
        indexes=["location_id"],
    )
    _table(
        "service_languages",
        _oruk_id(),
        _fk("service_id", "services", nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        indexes=["code", "service_id"],
    )
    _table(
        "listing_contacts",
        _oruk_id(),
        _fk("service_id", "services"),
        _fk("organisation_id", "organisations"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        indexes=["organisation_id", "service_id"],
    )
    _table(
        "phones",
        _oruk_id(),
        _fk("service_id", "services"),
        _fk("organisation_id", "organisations"),
        _fk("contact_id", "listing_contacts"),
        _fk("location_id", "locations"),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("extension", sa.String(length=20), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        indexes=["contact_id", "location_id", "organisation_id", "service_id"],
    )
    _table(
        "cost_options",
        _oruk_id(),
        _fk("service_id", "services", nullable=False),
        sa.Column("option", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amount_description", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        indexes=["service_id"],
    )
    _table(
        "funding",
        _oruk_id(),
        _fk("service_id", "services"),
        _fk("organisation_id", "organisations"),
        sa.Column("source", sa.Text(), nullable=False),
        indexes=["organisation_id", "service_id"],
    )
    _table(
        "service_area_descriptions",
        _oruk_id(),
        _fk("service_id", "services", nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("extent", sa.Text(), nullable=False),
        sa.Column("extent_type", sa.String(length=20), nullable=True),
        sa.Column("uri", sa.String(length=300), nullable=True),
        indexes=["service_id"],
    )
    _provenance_tables()


def _provenance_tables():
    op.create_table(
        "feed_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_harvested_at", sa.DateTime(), nullable=True),
        sa.Column("last_outcome", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_feed_sources_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_sources")),
        sa.UniqueConstraint("url", name=op.f("uq_feed_sources_url")),
    )
    op.create_table(
        "remote_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Boolean(), nullable=False),
        sa.Column("remote_modified", sa.String(length=40), nullable=True),
        sa.Column("harvested_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["feed_sources.id"],
            ondelete="CASCADE",
            name=op.f("fk_remote_records_source_id_feed_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_records")),
        sa.UniqueConstraint(
            "source_id", "kind", "remote_id", name=op.f("uq_remote_records_source_id")
        ),
    )
    with op.batch_alter_table("remote_records") as batch_op:
        batch_op.create_index(batch_op.f("ix_remote_records_local_id"), ["local_id"], unique=False)
    op.create_table(
        "duplicate_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("harvested_id", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_duplicate_candidates_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["harvested_id"],
            ["services.id"],
            ondelete="CASCADE",
            name=op.f("fk_duplicate_candidates_harvested_id_services"),
        ),
        sa.ForeignKeyConstraint(
            ["local_id"],
            ["services.id"],
            ondelete="CASCADE",
            name=op.f("fk_duplicate_candidates_local_id_services"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidates")),
        sa.UniqueConstraint(
            "harvested_id", "local_id", name=op.f("uq_duplicate_candidates_harvested_id")
        ),
    )
    with op.batch_alter_table("duplicate_candidates") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duplicate_candidates_local_id"), ["local_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_duplicate_candidates_status"), ["status"], unique=False
        )


def _add_columns():
    with op.batch_alter_table("taxonomy_terms") as batch_op:
        batch_op.add_column(sa.Column("oruk_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("taxonomy_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("term_uri", sa.String(length=500), nullable=True))
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("logo", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("uri", sa.String(length=300), nullable=True))
    with op.batch_alter_table("locations") as batch_op:
        for name, column_type in [
            ("location_type", sa.String(length=8)),
            ("description", sa.Text()),
            ("external_identifier", sa.String(length=200)),
            ("external_identifier_type", sa.String(length=120)),
            ("address_oruk_id", sa.String(length=36)),
            ("address_type", sa.String(length=8)),
            ("attention", sa.String(length=200)),
            ("region", sa.String(length=100)),
            ("state_province", sa.String(length=100)),
            ("country", sa.String(length=2)),
        ]:
            batch_op.add_column(sa.Column(name, column_type, nullable=True))
    with op.batch_alter_table("schedules") as batch_op:
        for name, column_type in [
            ("oruk_id", sa.String(length=36)),
            ("location_id", sa.Integer()),
            ("freq", sa.String(length=8)),
            ("interval", sa.Integer()),
            ("bymonthday", sa.String(length=60)),
            ("weekdays", sa.Integer()),
            ("dtstart", sa.Date()),
            ("valid_from", sa.Date()),
            ("valid_to", sa.Date()),
            ("notes", sa.Text()),
            ("attending_type", sa.String(length=40)),
            ("schedule_link", sa.String(length=300)),
        ]:
            batch_op.add_column(sa.Column(name, column_type, nullable=True))
    with op.batch_alter_table("service_at_locations") as batch_op:
        batch_op.add_column(sa.Column("oruk_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("services") as batch_op:
        batch_op.add_column(sa.Column("alert", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("accreditations", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("assurer_email", sa.String(length=254), nullable=True))


def _new_ids(connection, table: str, kind: str) -> dict[int, str]:
    """A uuid for every record of `table` whose id is not one; the old id becomes an alias."""
    rows = connection.execute(sa.text(f"SELECT id, oruk_id FROM {table}")).all()
    ids = {}
    for row_id, old in rows:
        new = old.lower() if _is_uuid(old) else _uuid5(f"{kind}:{old}")
        if new != old:
            connection.execute(
                sa.text(f"UPDATE {table} SET oruk_id = :new WHERE id = :id"),
                {"new": new, "id": row_id},
            )
            connection.execute(
                sa.text("INSERT INTO oruk_id_aliases (kind, alias, oruk_id) VALUES (:k, :a, :n)"),
                {"k": kind, "a": old, "n": new},
            )
        ids[row_id] = new
    return ids


def _migrate_taxonomy(connection):
    vocabularies = [
        v for (v,) in connection.execute(sa.text("SELECT DISTINCT vocabulary FROM taxonomy_terms"))
    ]
    for vocabulary in sorted(set(vocabularies) | {"engage"}):
        connection.execute(
            sa.text(
                "INSERT INTO taxonomies (oruk_id, vocabulary, name, description) "
                "VALUES (:o, :v, :n, :d)"
            ),
            {
                "o": _uuid5(f"taxonomy:{vocabulary}"),
                "v": vocabulary,
                "n": "Engage categories" if vocabulary == "engage" else vocabulary,
                "d": "The types of support the local asset map is organised by."
                if vocabulary == "engage"
                else "",
            },
        )
    connection.execute(
        sa.text(
            "UPDATE taxonomy_terms SET taxonomy_id = "
            "(SELECT t.id FROM taxonomies t WHERE t.vocabulary = taxonomy_terms.vocabulary)"
        )
    )
    for (term_id,) in connection.execute(sa.text("SELECT id FROM taxonomy_terms")).all():
        connection.execute(
            sa.text("UPDATE taxonomy_terms SET oruk_id = :o WHERE id = :id"),
            {"o": term_id if _is_uuid(term_id) else _uuid5(f"term:{term_id}"), "id": term_id},
        )


def _migrate_locations(connection, location_ids: dict[int, str]):
    councils = dict(
        connection.execute(
            sa.text(
                "SELECT la.location_id, MIN(a.council) FROM location_areas la "
                "JOIN areas a ON a.id = la.area_id WHERE a.council IS NOT NULL "
                "GROUP BY la.location_id"
            )
        ).all()
    )
    rows = connection.execute(sa.text("SELECT id, physical FROM locations")).all()
    for location_id, physical in rows:
        connection.execute(
            sa.text(
                "UPDATE locations SET location_type = :t, description = '', "
                "address_oruk_id = :a, address_type = 'physical', attention = '', "
                "region = '', state_province = :s, country = 'GB' WHERE id = :id"
            ),
            {
                "t": "physical" if physical else "virtual",
                "id": location_id,
                "a": _uuid5(f"address:{location_ids[location_id]}"),
                "s": councils.get(location_id) or "",
            },
        )


def _migrate_services(connection, service_ids: dict[int, str]):
    rows = connection.execute(
        sa.text("SELECT id, languages, accessibility, phone FROM services")
    ).all()
    places = connection.execute(
        sa.text("SELECT service_id, location_id FROM service_at_locations")
    ).all()
    locations_of: dict[int, list[int]] = {}
    for service_id, location_id in places:
        locations_of.setdefault(service_id, []).append(location_id)
    done_features = set()
    for service_id, languages, accessibility, phone in rows:
        oruk_id = service_ids[service_id]
        for code in [c for c in (languages or "").split(",") if c]:
            connection.execute(
                sa.text(
                    "INSERT INTO service_languages (oruk_id, service_id, code, name, note) "
                    "VALUES (:o, :s, :c, '', '')"
                ),
                {"o": _uuid5(f"language:{oruk_id}:{code}"), "s": service_id, "c": code},
            )
        if phone:
            connection.execute(
                sa.text(
                    "INSERT INTO phones (oruk_id, service_id, number, description, "
                    "languages) VALUES (:o, :s, :n, '', '[]')"
                ),
                {"o": _uuid5(f"phone:{oruk_id}"), "s": service_id, "n": phone},
            )
        for feature in [c for c in (accessibility or "").split(",") if c]:
            for location_id in locations_of.get(service_id, []):
                if (location_id, feature) in done_features:
                    continue
                done_features.add((location_id, feature))
                connection.execute(
                    sa.text(
                        "INSERT INTO location_accessibility (oruk_id, location_id, "
                        "feature, description, details) VALUES (:o, :l, :f, :d, '')"
                    ),
                    {
                        "o": _uuid5(f"accessibility:{location_id}:{feature}"),
                        "l": location_id,
                        "f": feature,
                        "d": FEATURES.get(feature, feature),
                    },
                )
    connection.execute(
        sa.text(
            "UPDATE services SET alert = '', accreditations = '', "
            "cost_description = NULLIF(cost_description, '')"
        )
    )
    for service_id, location_id in places:
        connection.execute(
            sa.text(
                "UPDATE service_at_locations SET oruk_id = :o "
                "WHERE service_id = :s AND location_id = :l"
            ),
            {
                "o": _uuid5(
                    f"service_at_location:{service_id}:{location_id}:{service_ids[service_id]}"
                ),
                "s": service_id,
                "l": location_id,
            },
        )


def _migrate_organisations(connection, organisation_ids: dict[int, str]):
    rows = connection.execute(sa.text("SELECT id, phone FROM organisations")).all()
    for organisation_id, phone in rows:
        if phone:
            connection.execute(
                sa.text(
                    "INSERT INTO phones (oruk_id, organisation_id, number, description, "
                    "languages) VALUES (:o, :g, :n, '', '[]')"
                ),
                {
                    "o": _uuid5(f"phone:{organisation_ids[organisation_id]}"),
                    "g": organisation_id,
                    "n": phone,
                },
            )


def _migrate_schedules(connection):
    rows = connection.execute(sa.text("SELECT id, byday FROM schedules")).all()
    for schedule_id, byday in rows:
        mask = sum(1 << DAYS.index(day) for day in (byday or "").split(",") if day in DAYS)
        connection.execute(
            sa.text(
                "UPDATE schedules SET oruk_id = :o, freq = 'WEEKLY', weekdays = :m, "
                "bymonthday = '', notes = '' WHERE id = :id"
            ),
            {"o": str(uuid.uuid4()), "m": mask, "id": schedule_id},
        )


def _tighten_columns():
    with op.batch_alter_table("taxonomy_terms") as batch_op:
        batch_op.alter_column("oruk_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column(
            "name",
            existing_type=sa.VARCHAR(length=120),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "vocabulary",
            existing_type=sa.VARCHAR(length=40),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
        batch_op.create_index(batch_op.f("ix_taxonomy_terms_taxonomy_id"), ["taxonomy_id"])
        batch_op.create_index(batch_op.f("ix_taxonomy_terms_vocabulary"), ["vocabulary"])
        batch_op.create_unique_constraint(batch_op.f("uq_taxonomy_terms_oruk_id"), ["oruk_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_taxonomy_terms_parent_id_taxonomy_terms"),
            "taxonomy_terms",
            ["parent_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_taxonomy_terms_taxonomy_id_taxonomies"),
            "taxonomies",
            ["taxonomy_id"],
            ["id"],
        )
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.alter_column(
            "oruk_id",
            existing_type=sa.VARCHAR(length=64),
            type_=sa.String(length=36),
            existing_nullable=False,
        )
        batch_op.drop_column("phone")
    with op.batch_alter_table("locations") as batch_op:
        for name in (
            "location_type",
            "description",
            "address_oruk_id",
            "address_type",
            "attention",
            "region",
            "state_province",
            "country",
        ):
            batch_op.alter_column(name, nullable=False)
        batch_op.alter_column(
            "oruk_id",
            existing_type=sa.VARCHAR(length=64),
            type_=sa.String(length=36),
            existing_nullable=False,
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_locations_address_oruk_id"), ["address_oruk_id"]
        )
        batch_op.drop_column("physical")
    with op.batch_alter_table("schedules") as batch_op:
        for name in ("oruk_id", "bymonthday", "weekdays", "notes"):
            batch_op.alter_column(name, nullable=False)
        batch_op.alter_column(
            "byday",
            existing_type=sa.VARCHAR(length=2),
            type_=sa.String(length=60),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "opens_at", existing_type=sa.VARCHAR(length=5), type_=sa.String(length=8), nullable=True
        )
        batch_op.alter_column(
            "closes_at",
            existing_type=sa.VARCHAR(length=5),
            type_=sa.String(length=8),
            nullable=True,
        )
        batch_op.alter_column(
            "description",
            existing_type=sa.VARCHAR(length=200),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.create_index(batch_op.f("ix_schedules_location_id"), ["location_id"])
        batch_op.create_index(batch_op.f("ix_schedules_weekdays"), ["weekdays"])
        batch_op.create_unique_constraint(batch_op.f("uq_schedules_oruk_id"), ["oruk_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_schedules_location_id_locations"),
            "locations",
            ["location_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("service_at_locations") as batch_op:
        batch_op.alter_column("oruk_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_service_at_locations_oruk_id"), ["oruk_id"]
        )
    with op.batch_alter_table("services") as batch_op:
        batch_op.alter_column("alert", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("accreditations", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column(
            "oruk_id",
            existing_type=sa.VARCHAR(length=64),
            type_=sa.String(length=36),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "cost_description",
            existing_type=sa.VARCHAR(length=200),
            type_=sa.Text(),
            existing_nullable=True,
        )
        batch_op.drop_column("accessibility")
        batch_op.drop_column("languages")
        batch_op.drop_column("phone")


def upgrade():
    _create_tables()
    _add_columns()
    connection = op.get_bind()
    service_ids = _new_ids(connection, "services", "service")
    organisation_ids = _new_ids(connection, "organisations", "organisation")
    location_ids = _new_ids(connection, "locations", "location")
    _migrate_taxonomy(connection)
    _migrate_locations(connection, location_ids)
    _migrate_services(connection, service_ids)
    _migrate_organisations(connection, organisation_ids)
    _migrate_schedules(connection)
    _tighten_columns()


def _restore_columns(connection):
    """Languages, accessibility and phones back into the columns they came from."""
    for (service_id,) in connection.execute(sa.text("SELECT id FROM services")).all():
        codes = [
            c
            for (c,) in connection.execute(
                sa.text("SELECT code FROM service_languages WHERE service_id = :s ORDER BY id"),
                {"s": service_id},
            )
        ]
        features = [
            f
            for (f,) in connection.execute(
                sa.text(
                    "SELECT DISTINCT a.feature FROM location_accessibility a "
                    "JOIN service_at_locations sl ON sl.location_id = a.location_id "
                    "WHERE sl.service_id = :s AND a.feature IS NOT NULL ORDER BY a.feature"
                ),
                {"s": service_id},
            )
        ]
        phone = connection.execute(
            sa.text("SELECT number FROM phones WHERE service_id = :s ORDER BY id LIMIT 1"),
            {"s": service_id},
        ).scalar()
        connection.execute(
            sa.text(
                "UPDATE services SET languages = :l, accessibility = :a, phone = :p WHERE id = :s"
            ),
            {
                "l": "," + ",".join(codes or ["en"]) + ",",
                "a": "," + ",".join(features) + "," if features else ",",
                "p": phone,
                "s": service_id,
            },
        )
    connection.execute(
        sa.text(
            "UPDATE organisations SET phone = (SELECT p.number FROM phones p "
            "WHERE p.organisation_id = organisations.id ORDER BY p.id LIMIT 1)"
        )
    )
    connection.execute(sa.text("UPDATE locations SET physical = (location_type != 'virtual')"))
    for kind, table in (
        ("service", "services"),
        ("organisation", "organisations"),
        ("location", "locations"),
    ):
        connection.execute(
            sa.text(
                f"UPDATE {table} SET oruk_id = (SELECT a.alias FROM oruk_id_aliases a "
                f"WHERE a.kind = '{kind}' AND a.oruk_id = {table}.oruk_id "
                f"AND length(a.alias) <= 64) "
                f"WHERE oruk_id IN (SELECT oruk_id FROM oruk_id_aliases "
                f"WHERE kind = '{kind}' "
                f"AND length(alias) <= 64)"
            )
        )


def downgrade():
    with op.batch_alter_table("services") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.VARCHAR(length=40), nullable=True))
        batch_op.add_column(sa.Column("languages", sa.VARCHAR(length=200), nullable=True))
        batch_op.add_column(sa.Column("accessibility", sa.VARCHAR(length=300), nullable=True))
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.VARCHAR(length=40), nullable=True))
    with op.batch_alter_table("locations") as batch_op:
        batch_op.add_column(sa.Column("physical", sa.BOOLEAN(), nullable=True))
    _restore_columns(op.get_bind())
    with op.batch_alter_table("services") as batch_op:
        batch_op.alter_column("languages", existing_type=sa.VARCHAR(length=200), nullable=False)
        batch_op.alter_column("accessibility", existing_type=sa.VARCHAR(length=300), nullable=False)
        batch_op.alter_column(
            "cost_description",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=200),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "oruk_id",
            existing_type=sa.String(length=36),
            type_=sa.VARCHAR(length=64),
            existing_nullable=False,
        )
        for name in ("assurer_email", "accreditations", "alert"):
            batch_op.drop_column(name)
    with op.batch_alter_table("service_at_locations") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_service_at_locations_oruk_id"), type_="unique")
        batch_op.drop_column("oruk_id")
    op.execute(
        "DELETE FROM schedules WHERE opens_at IS NULL OR closes_at IS NULL OR length(byday) != 2"
    )
    with op.batch_alter_table("schedules") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_schedules_location_id_locations"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_schedules_oruk_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_schedules_weekdays"))
        batch_op.drop_index(batch_op.f("ix_schedules_location_id"))
        batch_op.alter_column(
            "description",
            existing_type=sa.Text(),
            type_=sa.VARCHAR(length=200),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "closes_at",
            existing_type=sa.String(length=8),
            type_=sa.VARCHAR(length=5),
            nullable=False,
        )
        batch_op.alter_column(
            "opens_at",
            existing_type=sa.String(length=8),
            type_=sa.VARCHAR(length=5),
            nullable=False,
        )
        batch_op.alter_column(
            "byday",
            existing_type=sa.String(length=60),
            type_=sa.VARCHAR(length=2),
            existing_nullable=False,
        )
        for name in (
            "schedule_link",
            "attending_type",
            "notes",
            "valid_to",
            "valid_from",
            "dtstart",
            "weekdays",
            "bymonthday",
            "interval",
            "freq",
            "location_id",
            "oruk_id",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.alter_column(
            "oruk_id",
            existing_type=sa.String(length=36),
            type_=sa.VARCHAR(length=64),
            existing_nullable=False,
        )
        batch_op.drop_column("uri")
        batch_op.drop_column("logo")
    with op.batch_alter_table("locations") as batch_op:
        batch_op.alter_column("physical", existing_type=sa.BOOLEAN(), nullable=False)
        batch_op.drop_constraint(batch_op.f("uq_locations_address_oruk_id"), type_="unique")
        batch_op.alter_column(
            "oruk_id",
            existing_type=sa.String(length=36),
            type_=sa.VARCHAR(length=64),
            existing_nullable=False,
        )
        for name in (
            "country",
            "state_province",
            "region",
            "attention",
            "address_type",
            "address_oruk_id",
            "external_identifier_type",
            "external_identifier",
            "description",
            "location_type",
        ):
            batch_op.drop_column(name)
    op.execute(
        "DELETE FROM service_taxonomy_terms WHERE taxonomy_term_id IN "
        "(SELECT id FROM taxonomy_terms WHERE vocabulary != 'engage')"
    )
    op.execute("DELETE FROM taxonomy_mappings")
    op.execute("UPDATE taxonomy_terms SET parent_id = NULL")
    op.execute("DELETE FROM taxonomy_terms WHERE vocabulary != 'engage'")
    op.execute("UPDATE taxonomy_terms SET name = substr(name, 1, 120)")
    with op.batch_alter_table("taxonomy_terms") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_taxonomy_terms_taxonomy_id_taxonomies"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_taxonomy_terms_parent_id_taxonomy_terms"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_taxonomy_terms_oruk_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_taxonomy_terms_vocabulary"))
        batch_op.drop_index(batch_op.f("ix_taxonomy_terms_taxonomy_id"))
        batch_op.alter_column(
            "vocabulary",
            existing_type=sa.String(length=200),
            type_=sa.VARCHAR(length=40),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "name",
            existing_type=sa.String(length=200),
            type_=sa.VARCHAR(length=120),
            existing_nullable=False,
        )
        for name in ("term_uri", "parent_id", "taxonomy_id", "oruk_id"):
            batch_op.drop_column(name)
    for table in (
        "duplicate_candidates",
        "remote_records",
        "feed_sources",
        "service_area_descriptions",
        "funding",
        "cost_options",
        "phones",
        "listing_contacts",
        "service_languages",
        "location_accessibility",
        "organisation_identifiers",
        "taxonomy_mappings",
        "taxonomies",
        "oruk_id_aliases",
    ):
        op.drop_table(table)
