"""Test databases: a SQLite file by default, PostgreSQL when TEST_DATABASE_URL names one."""

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def base_url(tmp_dir: Path) -> str:
    """The run's test database. With several test processes (pytest -n), each has its own: a
    SQLite file in its own folder, or on PostgreSQL a database of its own on the same server."""
    if not is_postgres():
        return f"sqlite:///{tmp_dir / 'engage-test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return os.environ["TEST_DATABASE_URL"]
    return _database_named(f"engage_test_{worker}")


def _database_named(name: str) -> str:
    url = make_url(os.environ["TEST_DATABASE_URL"])
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def is_postgres() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def fresh_database(tmp_dir: Path) -> str:
    """An empty database of the same kind as the test database, for migration tests."""
    if not is_postgres():
        return f"sqlite:///{tmp_dir / f'fresh-{uuid.uuid4().hex}.db'}"
    url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"engage_fresh_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)
