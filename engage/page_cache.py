"""Pages anonymous visitors see, kept rendered until the data under them changes.

A public page names the content it shows (`Content.DIRECTORY`, `Content.VOICE`,
`Content.BUDGETING`). Every committed write to a table of that content adds one to the
content's version in the `page_versions` table, in its own short transaction straight after the
commit; a cached page is looked up under the versions read *before* its data, so a page is never
served from before a write that was committed before the request began, whichever worker or
process made the write (the versions live in the database every worker shares). Pages that
show the time ("open now", "closes in 3 days") are keyed by the minute or the day as well.

Only anonymous visitors with nothing waiting for them (no flashed message) are served from
the cache, and a page is only kept when rendering it touched nothing personal: no change to the
session, no cookie set. The one inline script's nonce and the forms' CSRF token are taken out
when a page is kept, and each visit gets a fresh nonce and its own token put back in, so the
Content-Security-Policy and the CSRF check hold as if the page had been rendered for them.

Dashboards keep their figures the same way (`remembered`): computed once per change, not
once per visit.

Kept pages live in each worker's memory (a bounded LRU); a process that dies between a
commit and the version's bump leaves pages at most PAGE_CACHE_SECONDS old.
"""

import functools
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import BigInteger, String, event, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from engage.database import Base, rows_changed
from engage.extensions import db
from engage.i18n import london_now

log = logging.getLogger(__name__)


class Content(StrEnum):
    """What a public page shows; each has a version that every write to it moves on."""

    DIRECTORY = "directory"  # services, organisations, places, areas and need
    VOICE = "voice"  # forums, feedback, "you said, we did"
    BUDGETING = "budgeting"  # rounds, bids, ballots, results


# The packages whose tables each content is made of.
_PACKAGES = {
    "engage.asset_map": Content.DIRECTORY,
    "engage.geo": Content.DIRECTORY,
    "engage.feedback": Content.VOICE,
    "engage.you_said_we_did": Content.VOICE,
    "engage.budgeting": Content.BUDGETING,
    "engage.monitoring": Content.BUDGETING,  # funded projects' returns, and whom they reached
}
# Written on busy requests and shown on no public page while they change: searches (for the
# gap analysis), and ballots, which only officers count while voting is open (a round's
# results are shown once it closes, and closing it is a write to the round itself).
_NOT_SHOWN = {
    "search_logs",
    "search_day_salts",
    "search_visits",
    "pb_ballots",
    "pb_participations",
    "pb_vote_reminders",
}


class PageVersion(Base):
    __tablename__ = "page_versions"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class Vary(StrEnum):
    """How often a page's words change with the clock alone."""

    DAY = "day"
    MINUTE = "minute"


@dataclass(frozen=True)
class _Kept:
    body: Any
    status: int
    headers: tuple[tuple[str, str], ...]
    until: float
    note: Any = None  # what the view left in g.page_note, for `also` on later visits


class _Pages:
    """A bounded, thread-safe, least-recently-used store of rendered pages."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> _Kept | None:
        with self._lock:
            kept = self._items.get(key)
            if kept is None:
                return None
            if kept.until < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return kept

    def put(self, key: tuple, kept: _Kept) -> None:
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


REMEMBERED_FIGURES = 500  # dashboards' figures kept per worker, each set of filters one
_NONCE_HOLDER = secrets.token_hex(16).encode()  # stands for the nonce in kept pages
_CSRF_HOLDER = secrets.token_hex(16).encode()  # and for the visitor's own CSRF token
_CSRF_KEY = "csrf_token"  # Flask-WTF's name for it, in the session and in `g`
_KEPT_HEADERS = {"content-type", "content-language", "link", "vary"}


def _table_contents() -> dict[str, Content]:
    contents = {}
    for mapper in Base.registry.mappers:
        module = mapper.class_.__module__
        for package, content in _PACKAGES.items():
            if module == package or module.startswith(package + "."):
                for table in mapper.tables:
                    if table.name not in _NOT_SHOWN:
                        contents[table.name] = content
    return contents


_contents_of: dict[str, Content] | None = None


def content_of_table(name: str) -> Content | None:
    global _contents_of
    if _contents_of is None:
        _contents_of = _table_contents()
    return _contents_of.get(name)


def _note(session: Session, tables: Iterable[Any]) -> None:
    touched = session.info.setdefault("page_contents", set())
    for table in tables:
        content = content_of_table(getattr(table, "name", ""))
        if content:
            touched.add(content)


def _after_flush(session: Session, _context: Any) -> None:
    objects = [*session.new, *session.dirty, *session.deleted]
    _note(session, {table for obj in objects for table in type(obj).__mapper__.tables})


def _do_orm_execute(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _note(state.session, [getattr(state.statement, "table", None)])


def _after_commit(session: Session) -> None:
    # A savepoint's release commits nothing yet: the versions move when the outermost
    # transaction commits (and bumping on another connection now would wait, on SQLite, for
    # the write lock this session holds).
    if session.in_nested_transaction():
        return
    touched = session.info.pop("page_contents", None)
    if touched:
        bump(touched)


def _after_rollback(session: Session) -> None:
    # A savepoint rolled back leaves the outer transaction's writes to commit: keep them noted
    # (a content noted for a write that was undone only renders its pages afresh once).
    if session.in_nested_transaction():
        return
    session.info.pop("page_contents", None)


def bump(contents: Iterable[Content]) -> None:
    """Move these contents' versions on: every page showing them is rendered afresh."""
    names = sorted({str(c) for c in contents})
    try:
        with db.engine.begin() as connection:
            moved = connection.execute(
                update(PageVersion)
                .where(PageVersion.name.in_(names))
                .values(version=PageVersion.version + 1)
            )
            if rows_changed(moved) < len(names):
                _start_versions(connection, names)
    except Exception:  # the write itself is committed; the pages expire on their own
        log.exception("Could not move the page versions of %s on", names)


def _start_versions(connection: Any, names: list[str]) -> None:
    """Versions not yet counted start at the clock's nanoseconds, so a version emptied out
    of the table and started again never repeats one a kept page was filed under."""
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    for name in names:
        connection.execute(
            insert(PageVersion).values(name=name, version=time.time_ns()).on_conflict_do_nothing()
        )


def clear(app: Flask) -> None:
    """Forget every kept page and figure (the tests do, when they empty the database behind its
    back)."""
    _pages(app).clear()
    app.extensions["engage.remembered"].clear()


def _versions() -> dict[str, int]:
    """Read on every request, before the page's data: one tiny query on a pooled connection,
    straight through the driver (a fifth of the ORM's cost)."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT name, version FROM page_versions")
        versions = dict(cursor.fetchall())
        cursor.close()
    finally:
        connection.close()
    return versions


def _clock(vary: Vary) -> str:
    now = london_now()
    return now.strftime("%Y-%m-%d %H:%M") if vary is Vary.MINUTE else now.date().isoformat()


def _servable() -> bool:
    return (
        current_app.config["PAGE_CACHE_SIZE"] > 0
        and request.method in ("GET", "HEAD")
        and not session.get("_flashes")
        and not current_user.is_authenticated
    )


def _own_session() -> dict[str, Any]:
    """What the visitor's session holds but the CSRF secret (which every visitor has their own
    of, and which a kept page gets afresh each time it is served)."""
    return {k: v for k, v in session.items() if k != _CSRF_KEY}


def _keepable(response: Response, session_before: dict[str, Any]) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and _own_session() == session_before
    )


def _served(kept: _Kept) -> Response:
    nonce = secrets.token_urlsafe(16)
    g.csp_nonce = nonce
    body = kept.body.replace(_NONCE_HOLDER, nonce.encode())
    if _CSRF_HOLDER in body:
        body = body.replace(_CSRF_HOLDER, generate_csrf().encode())
    response = current_app.response_class(body, status=kept.status)
    for name, value in kept.headers:
        response.headers[name] = value
    response.headers["X-Page-Cache"] = "hit"
    return response


def _keep(key: tuple, response: Response) -> None:
    body = response.get_data()
    nonce = g.get("csp_nonce")
    if nonce:
        body = body.replace(nonce.encode(), _NONCE_HOLDER)
    token = g.get(_CSRF_KEY)
    if token:
        body = body.replace(token.encode(), _CSRF_HOLDER)
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS)
    until = time.monotonic() + current_app.config["PAGE_CACHE_SECONDS"]
    kept = _Kept(body, response.status_code, headers, until, g.get("page_note"))
    _pages(current_app).put(key, kept)
    response.headers["X-Page-Cache"] = "miss"


def cached_page(
    *contents: Content, vary: Vary = Vary.DAY, also: Callable[[Any], None] | None = None
):
    """Serve this view's page to anonymous visitors from the cache while `contents` are
    unchanged. When a page is served from the cache, `also` is called with what the view left
    in `g.page_note` as it rendered the page (to log a search as the view itself did)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not _servable():
                return view(*args, **kwargs)
            versions = _versions()
            key = (
                request.host_url,
                request.full_path,
                str(get_locale()),
                _clock(vary),
                tuple(versions.get(str(c), -1) for c in contents),
            )
            kept = _pages(current_app).get(key)
            if kept is not None:
                if also and kept.note is not None:
                    also(kept.note)
                return _served(kept)
            session_before = _own_session()
            response = current_app.make_response(view(*args, **kwargs))
            if _keepable(response, session_before):
                _keep(key, response)
            return response

        return wrapper

    return decorate


T = TypeVar("T")


def remembered(key: tuple, contents: Iterable[Content], compute: Callable[[], T]) -> T:
    """A figure computed from `contents` (a dashboard's aggregates), kept in this worker until
    one of them changes, for everyone who may see it. The key names everything else the figure
    depends on (its filters, the day; the language is added for it); what `compute` returns is
    shared between requests, so it must be plain values, never database objects."""
    versions = _versions()
    kept_for = tuple(versions.get(str(c), -1) for c in contents)
    full_key = ("remembered", str(get_locale()), *key, kept_for)  # labels may be translated
    store = current_app.extensions["engage.remembered"]
    kept = store.get(full_key)
    if kept is not None:
        return kept.body
    value = compute()
    until = time.monotonic() + current_app.config["PAGE_CACHE_SECONDS"]
    store.put(full_key, _Kept(value, 200, (), until))
    return value


def _pages(app: Flask) -> _Pages:
    return app.extensions["engage.page_cache"]


def init_app(app: Flask) -> None:
    app.extensions["engage.page_cache"] = _Pages(app.config["PAGE_CACHE_SIZE"])
    app.extensions["engage.remembered"] = _Pages(REMEMBERED_FIGURES)
    if not getattr(init_app, "_listening", False):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        init_app._listening = True  # type: ignore[attr-defined]
