"""The declarative base, time helpers and the one transaction decorator logic functions use."""

import functools
import math
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, ParamSpec, Protocol, TypeVar

from sqlalchemy import Column, Engine, ForeignKey, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase, Mapped

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@event.listens_for(Engine, "connect")
def _sqlite_has_sqrt(connection: Any, _record: Any) -> None:
    """Searches measure distances with sqrt() in SQL: PostgreSQL has it, and SQLite has it when
    built with its math functions (Debian's is); any other SQLite gets Python's."""
    if not isinstance(connection, sqlite3.Connection):
        return
    try:
        connection.execute("SELECT sqrt(4)").close()
    except sqlite3.OperationalError:
        connection.create_function("sqrt", 1, math.sqrt, deterministic=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Identified(Protocol):
    """A model with an integer `id` column (for helpers that take any such model)."""

    id: ClassVar[Mapped[int]]


def link_table(name: str, left: str, right: str) -> Table:
    """A many-to-many table of two keys, each deleted with the row it points to:
    `link_table("pb_pot_areas", "pot_id=pb_pots.id", "area_id=areas.id")`."""
    columns: list[Column] = []
    for spec in (left, right):
        column, target = spec.split("=")
        columns.append(Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True))
    return Table(name, Base.metadata, *columns)


def rows_changed(result: Any) -> int:
    """How many rows an UPDATE or DELETE changed (a compare-and-set wins when this is 1)."""
    return int(getattr(result, "rowcount", 0) or 0)


def utcnow() -> datetime:
    """Naive UTC now: both databases store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`values` in runs of at most `size`: a statement each, within a database's limits."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Commit what the function wrote, or roll all of it back if it raised. Called from
    another transactional function, it joins that one's transaction: only the outermost call
    commits, so a logic function built from others saves all or nothing."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from engage.extensions import db

        depth = db.session.info.get("transactional_depth", 0)
        db.session.info["transactional_depth"] = depth + 1
        try:
            result = func(*args, **kwargs)
            if depth == 0:
                db.session.commit()
        except BaseException:
            if depth == 0:
                db.session.rollback()
            raise
        finally:
            db.session.info["transactional_depth"] = depth
        return result

    return wrapper
