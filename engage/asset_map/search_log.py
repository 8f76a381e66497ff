"""Logging searches for the gap analysis, counting each anonymous visitor once per area per
day, without keeping anything that says who they are.

Why this way: the gap analysis reads a search that found few services as unmet demand. Staff
trying the site, or one person pressing Search twenty times, must not move it. So a search
counts only when nobody is signed in, and only the first time that day that the visitor finds
few services in that area. To know "the first time" we keep, for today only, a keyed hash
(HMAC-SHA-256) of the visitor's network address and the area, under a random key made for the
day. The address itself is never stored. When the next day's first search is logged, the
day's key and hashes are deleted, and without the key a hash cannot be matched to an address
again (guessing every address would need the key). We use the address rather than a cookie:
a cookie that tracks visitors for statistics would need their consent first, while the address
reaches us with every request anyway. A household or a school behind one address counts once
a day per area, which errs on the side of not inflating the figure."""

import hashlib
import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engage.asset_map.models import SearchDaySalt, SearchLog, SearchVisit
from engage.asset_map.search import SearchFilters
from engage.database import transactional
from engage.extensions import db

FEW_RESULTS = 3  # a search that finds fewer services than this is unmet demand

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Searched:
    """What a search looked for and found: what the log keeps of it."""

    query: str
    filters: SearchFilters
    area_id: int | None
    total: int


class _Waiting:
    """Searches waiting to be logged together: a busy page writes once per batch, not once per
    visit, and never makes a visitor wait for the write of everyone's searches. (Up to a batch
    is lost if the process dies; these are statistics.)"""

    def __init__(self) -> None:
        self.batch, self.seconds = 1, 0.0
        self.entries: list[tuple[Searched, date, str | None]] = []
        self.lock = threading.Lock()
        self.written_at = time.monotonic()


_waiting = _Waiting()


def batch_searches(batch: int, seconds: float) -> None:
    """Write searches `batch` at a time, or once `seconds` have passed since the last write
    (settings SEARCH_LOG_BATCH and SEARCH_LOG_SECONDS; 1 writes each at once)."""
    _waiting.batch, _waiting.seconds = max(batch, 1), seconds


def note_search(searched: Searched, day: date, visitor: str | None) -> None:
    """Log this search with the next batch; `visitor` as for log_search."""
    with _waiting.lock:
        _waiting.entries.append((searched, day, visitor))
        due = (
            len(_waiting.entries) >= _waiting.batch
            or time.monotonic() - _waiting.written_at >= _waiting.seconds
        )
    if due:
        write_waiting()


def write_waiting() -> int:
    """Write every waiting search now, in one transaction (also at exit, and before the gap
    analysis reads them); how many were written."""
    with _waiting.lock:
        entries, _waiting.entries = _waiting.entries, []
        _waiting.written_at = time.monotonic()
    if not entries:
        return 0
    try:
        _write(entries)
    except Exception:  # statistics: never a visitor's error page
        db.session.rollback()
        log.exception("Could not log %d searches", len(entries))
        return 0
    return len(entries)


@transactional
def _write(entries: list[tuple[Searched, date, str | None]]) -> None:
    for searched, day, visitor in entries:
        log_search(searched.query, searched.filters, searched.area_id, searched.total, day, visitor)


def _insert(model: type[SearchDaySalt] | type[SearchVisit]) -> Any:
    return (pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(model)


def _salt(day: date) -> str:
    """The day's key, made by the day's first search (which also forgets earlier days)."""
    salt = db.session.scalar(select(SearchDaySalt.salt).where(SearchDaySalt.day == day))
    if salt is not None:
        return salt
    db.session.execute(delete(SearchVisit).where(SearchVisit.day < day))
    db.session.execute(delete(SearchDaySalt).where(SearchDaySalt.day < day))
    db.session.execute(
        _insert(SearchDaySalt)
        .values(day=day, salt=secrets.token_hex(32))
        .on_conflict_do_nothing(index_elements=["day"])
    )
    return db.session.scalar(select(SearchDaySalt.salt).where(SearchDaySalt.day == day)) or ""


def first_visit_today(address: str, area_id: int, day: date) -> bool:
    """Whether this is the visitor's first search in the area today (and remember it was)."""
    key = bytes.fromhex(_salt(day))
    digest = hmac.new(key, f"{address}|{area_id}".encode(), hashlib.sha256).hexdigest()
    inserted = db.session.execute(
        _insert(SearchVisit)
        .values(digest=digest, day=day)
        .on_conflict_do_nothing(index_elements=["digest"])
        .returning(SearchVisit.digest)
    )
    return inserted.first() is not None


@transactional
def log_search(
    query: str,
    filters: SearchFilters,
    area_id: int | None,
    total: int,
    day: date,
    visitor: str | None,
) -> SearchLog:
    """Log what was looked for; `visitor` is the address of an anonymous visitor, None for
    anyone signed in (whose searches never count)."""
    counts = (
        visitor is not None
        and area_id is not None
        and total < FEW_RESULTS
        and first_visit_today(visitor, area_id, day)
    )
    log = SearchLog(
        query=query.strip()[:120],
        area_id=area_id,
        filters=filters.as_dict(),
        result_count=total,
        counts_for_gaps=counts,
    )
    db.session.add(log)
    return log
