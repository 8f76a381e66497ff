"""The schema comes only from migrations: one head, up and down cleanly, and no drift from
the models. Run on SQLite and again on PostgreSQL by `make test`."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from engage import create_app
from engage.extensions import db, migrate
from tests.conftest import config_with
from tests.database_urls import fresh_database


def _app_on(url):
    return create_app(config_with(SQLALCHEMY_DATABASE_URI=url))


def _tables(url) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_have_exactly_one_head(app):
    config = migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_downgrade_and_upgrade_again_from_empty(tmp_path):
    url = fresh_database(tmp_path)
    app = _app_on(url)
    with app.app_context():
        upgrade()
        assert _tables(url) == set(db.metadata.tables)
        downgrade(revision="base")
        assert _tables(url) == set()
        upgrade()
        assert _tables(url) == set(db.metadata.tables)
        db.engine.dispose()


def test_models_and_migrations_do_not_differ(tmp_path):
    app = _app_on(fresh_database(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()
