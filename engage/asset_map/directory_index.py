"""Each worker's index of the directory as the gap table sees it, brought up to date by the
services that changed, not read afresh after every change.

For every service: whether it is active, its ages, its categories, the areas its places lie in,
the areas it covers, and its places' coordinates, held in numpy arrays. The gap table for any
level and filter is then a few vectorised passes over them (`matching`, `located_counts`,
`covering_counts`, `places`), with no query of the directory.

The database notes each change to a service that the table can see (`directory_changes`,
added by migration 0088's and 0089's triggers, never updated, so no writer waits for another's;
service 0 for the areas). Before each use the index asks for the notes since it last looked, in
one query, and reads the services they name alone again:
- on PostgreSQL a note carries its transaction's id, and the index keeps the oldest transaction
  still running when it looked (`pg_snapshot_xmin`): a change committed since has an id at
  least that, whatever order transactions commit in;
- on SQLite writers take turns, so a note's number is one more than any committed before it.
Notes seen at the last look are remembered, so a long transaction holding the horizon back
costs a re-read of the notes, not of the services. A note is new by its service and number, not
by being the greatest: a transaction that began before another may commit its note after it.

A bulk change (more than REBUILD_ABOVE services at once, or a SQLite table emptied behind the
index's back) reads the whole directory again, as a new worker does on its first look; so does
the first look after the notes were tidied on PostgreSQL (`tidy_notes`).

No Flask here: callers pass a SQLAlchemy connection, and keep one index per worker."""

import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from itertools import chain
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Connection, text

from engage.database import chunks

AREAS = 0  # the service noted for a change to the areas (migration 0088)
TIDIED = -1  # the note a tidying leaves on PostgreSQL (`tidy_notes`)
REBUILD_ABOVE = 20_000  # services changed at once above which the whole directory is read
IDS_PER_QUERY = 5_000
ACTIVE = "active"  # ServiceStatus.ACTIVE (the vocabulary imports Flask-Babel)

_SERVICES = f"SELECT id, status = '{ACTIVE}', minimum_age, maximum_age FROM services"
_TERMS = "SELECT service_id, taxonomy_term_id FROM service_taxonomy_terms"
_LOCATED = """SELECT DISTINCT sl.service_id, la.area_id FROM service_at_locations sl
              JOIN location_areas la ON la.location_id = sl.location_id"""
_COVERING = "SELECT service_id, area_id FROM service_areas"
_POINTS = """SELECT sl.service_id, l.latitude, l.longitude FROM service_at_locations sl
             JOIN locations l ON l.id = sl.location_id WHERE l.latitude IS NOT NULL"""
_MARK = {  # the horizon: every change not yet seen is numbered at least this
    "postgresql": "pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
    "sqlite": "(SELECT coalesce(max(changed), 0) FROM directory_changes)",
}

T = TypeVar("T")


# A note older than another of the same service says nothing the newer one does not, to a
# reader that has not yet seen either. On SQLite notes commit in the order of their numbers, so
# a reader that saw the newer saw the older first. On PostgreSQL they need not: a reader may
# have seen the newer while the older's transaction was still running, and be waiting for it.
# So a tidying there removes only notes below the oldest transaction still running (H), and
# leaves a note of its own (TIDIED, H) in the same transaction: a reader whose horizon is at or
# below H finds it new, and reads the whole directory again; one past H looked after every
# transaction below H had ended, so what the removed notes said was already in its index.
_TIDY = """DELETE FROM directory_changes WHERE EXISTS (
    SELECT 1 FROM directory_changes newer WHERE newer.service_id = directory_changes.service_id
    AND newer.changed > directory_changes.changed)"""


def tidy_notes(connection: Connection) -> int:
    """Remove the notes a newer one of the same service makes redundant (the table would
    otherwise grow by a row for each service changed in each transaction). Safe at any time,
    beside readers and writers; it takes no lock a writer's note waits for. On PostgreSQL each
    worker's index reads the whole directory once more, at its next look. How many went."""
    if connection.dialect.name != "postgresql":
        return connection.execute(text(_TIDY)).rowcount
    below = connection.execute(text(f"SELECT {_MARK['postgresql']}")).scalar_one()
    connection.execute(
        text("""INSERT INTO directory_changes (service_id, changed) VALUES (:tidied, :below)
                ON CONFLICT DO NOTHING"""),
        {"tidied": TIDIED, "below": below},
    )
    return connection.execute(text(f"{_TIDY} AND changed < :below"), {"below": below}).rowcount


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(x, y, z) rows on the unit sphere of these latitudes and longitudes (radians)."""
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


class _Column:
    """A growable numpy column."""

    def __init__(self, dtype: Any, fill: Any = 0) -> None:
        self.values = np.full(1024, fill, dtype)
        self.fill = fill

    def ensure(self, size: int) -> None:
        if size > len(self.values):
            grown = np.full(max(size, 2 * len(self.values)), self.fill, self.values.dtype)
            grown[: len(self.values)] = self.values
            self.values = grown


class _Rows:
    """Rows that each belong to a service's slot (a place of it, an area it lies in): added
    at the end, marked dead when their service changes, squeezed out once half are dead (or,
    for rows kept in order, once an eighth came since they were last put in order)."""

    def __init__(self, *dtypes: Any, sorted_by: int | None = None) -> None:
        self.n = 0
        self.slot = _Column(np.int64)
        self.alive = _Column(bool, False)
        self.columns = [_Column(d) for d in dtypes]
        self.sorted_by = sorted_by  # a column the rows are kept in order of, but for a tail:
        self.sorted_n = 0  # the rows before this are in its order; those added since are not

    def add(self, slots: np.ndarray, *values: np.ndarray) -> None:
        end = self.n + len(slots)
        for column in (self.slot, self.alive, *self.columns):
            column.ensure(end)
        self.slot.values[self.n : end] = slots
        self.alive.values[self.n : end] = True
        for column, v in zip(self.columns, values, strict=True):
            column.values[self.n : end] = v
        self.n = end

    def drop(self, slots: np.ndarray) -> None:
        alive = self.alive.values[: self.n]
        alive &= ~np.isin(self.slot.values[: self.n], slots)
        untidy = self.sorted_by is not None and self.n - self.sorted_n > self.n // 8
        if self.n > 4096 and (untidy or np.count_nonzero(alive) < self.n // 2):
            self._squeeze(alive.copy())

    def _squeeze(self, keep: np.ndarray) -> None:
        kept = int(np.count_nonzero(keep))
        for column in (self.slot, self.alive, *self.columns):
            column.values[:kept] = column.values[: self.n][keep]
        self.n = kept
        self.sort()

    def sort(self) -> None:
        """Put every row in order of the `sorted_by` column (if any)."""
        if self.sorted_by is None:
            return
        order = np.argsort(self.column(self.sorted_by), kind="stable")
        for column in (self.slot, self.alive, *self.columns):
            column.values[: self.n] = column.values[: self.n][order]
        self.sorted_n = self.n

    def in_order(self, chosen: np.ndarray) -> list[np.ndarray]:
        """The chosen rows' columns, in order of the `sorted_by` column: the rows kept in
        order, with the few added since merged in."""
        k = self.sorted_n
        head = [self.column(i)[:k][chosen[:k]] for i in range(len(self.columns))]
        tail = [self.column(i)[k:][chosen[k:]] for i in range(len(self.columns))]
        if not len(tail[0]):
            return head
        key = self.sorted_by or 0
        order = np.argsort(tail[key], kind="stable")
        tail = [t[order] for t in tail]
        at = np.searchsorted(head[key], tail[key], side="right")
        return [np.insert(h, at, t) for h, t in zip(head, tail, strict=True)]

    def chosen(self, matching: np.ndarray) -> np.ndarray:
        """Which rows belong to a matching service."""
        return self.alive.values[: self.n] & matching[self.slot.values[: self.n]]

    def column(self, i: int) -> np.ndarray:
        return self.columns[i].values[: self.n]


class DirectoryIndex:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.generation = 0  # moves on with every change applied
        self.rebuilds = 0  # times the whole directory was read
        self._empty()

    def _empty(self) -> None:
        self.since: int | None = None  # the horizon of the last look; None: never looked
        self.seen: set[tuple[int, int]] = set()  # notes at or past it: (service, number)
        self.slot_of: dict[int, int] = {}
        self.slots = 0
        self.alive = _Column(bool, False)
        self.active = _Column(bool, False)
        self.minimum_age = _Column(float, np.nan)
        self.maximum_age = _Column(float, np.nan)
        self.terms: dict[str, _Column] = {}
        self.located = _Rows(np.int64)  # area id
        self.covering = _Rows(np.int64)  # area id
        # latitude and longitude (radians), and the unit vector (x, y, z), in order of latitude
        self.points = _Rows(float, float, float, float, float, sorted_by=0)
        self._kept: dict[Hashable, Any] = {}  # worked out from the services (and areas)
        self._kept_areas: dict[Hashable, Any] = {}  # worked out from the areas alone

    # -- bringing it up to date

    def refresh(self, connection: Connection) -> None:
        """Bring the index up to the database's latest committed state."""
        with self.lock:
            try:
                self._refresh(connection)
            except BaseException:  # half read: read it whole on the next look
                self._empty()
                raise

    def _refresh(self, connection: Connection) -> None:
        mark, notes = self._look(connection)
        if self.since is None or mark < self.since:  # first look, or the notes emptied
            self._rebuild(connection, mark, notes)
            return
        changed = sorted({sid for sid, _n in notes - self.seen})
        self.since, self.seen = mark, notes
        if len(changed) > REBUILD_ABOVE or TIDIED in changed:
            self._rebuild(connection, mark, notes)
        elif changed:
            if AREAS in changed:
                self._kept_areas.clear()
            self._apply(connection, [sid for sid in changed if sid != AREAS])
            self._kept.clear()
            self.generation += 1

    def _look(self, connection: Connection) -> tuple[int, set[tuple[int, int]]]:
        """The horizon now, and every note at or past the last one, in one statement (one
        snapshot)."""
        mark = _MARK[connection.dialect.name]
        rows = connection.execute(
            text(f"""SELECT w.mark, c.service_id, c.changed FROM (SELECT {mark} AS mark) w
                     LEFT JOIN directory_changes c
                     ON c.changed >= coalesce(CAST(:since AS BIGINT), w.mark)"""),
            {"since": self.since},
        ).all()
        return rows[0][0], {(sid, n) for _mark, sid, n in rows if sid is not None}

    def _rebuild(self, connection: Connection, mark: int, notes: set[tuple[int, int]]) -> None:
        self._empty()
        self.since, self.seen = mark, notes
        self._read(connection, None)
        self.points.sort()
        self.generation += 1
        self.rebuilds += 1

    def _apply(self, connection: Connection, ids: list[int]) -> None:
        """Read these services again (those gone are dropped)."""
        slots = np.array([self.slot_of[s] for s in ids if s in self.slot_of], np.int64)
        if len(slots):
            self.alive.values[slots] = False
            for term in self.terms.values():
                term.values[slots] = False
            for rows in (self.located, self.covering, self.points):
                rows.drop(slots)
        for chunk in chunks(ids, IDS_PER_QUERY):
            self._read(connection, list(chunk))

    def _rows(
        self, connection: Connection, query: str, column: str, ids: list[int] | None
    ) -> Sequence[Any]:
        """The query's rows for these services (every one, if None), as the driver's tuples:
        hundreds of thousands of rows at a first look, where making each a SQLAlchemy row took
        ten times the driver's fetch. The SQL is all literals: ids are ints, written as ints."""
        if ids is not None:
            joiner = " AND " if " WHERE " in query else " WHERE "
            query += f"{joiner}{column} IN ({', '.join(str(int(s)) for s in ids)})"
        cursor = connection.connection.cursor()
        try:
            cursor.execute(query)
            return cursor.fetchall()
        finally:
            cursor.close()

    def _read(self, connection: Connection, ids: list[int] | None) -> None:
        """Read these services (every one, if None) into the index. Rows of a service added
        since its services were read are left: it is noted, and read on the next look."""
        services = self._rows(connection, _SERVICES, "id", ids)
        for sid, _active, _low, _high in services:
            if sid not in self.slot_of:
                self.slot_of[sid] = self.slots
                self.slots += 1
        for column in (self.alive, self.active, self.minimum_age, self.maximum_age):
            column.ensure(self.slots)
        if services:
            slots = np.fromiter((self.slot_of[row[0]] for row in services), np.int64)
            self.alive.values[slots] = True
            self.active.values[slots] = [bool(row[1]) for row in services]
            self.minimum_age.values[slots] = [np.nan if r[2] is None else r[2] for r in services]
            self.maximum_age.values[slots] = [np.nan if r[3] is None else r[3] for r in services]
        by_term: dict[str, list[int]] = defaultdict(list)
        for sid, term in self._rows(connection, _TERMS, "service_id", ids):
            by_term[term].append(sid)
        for term, sids in by_term.items():
            self.terms.setdefault(term, _Column(bool, False)).ensure(self.slots)
            _keep, slots = self._slots_of(np.array(sids, np.int64))
            self.terms[term].values[slots] = True
        for in_term in self.terms.values():
            in_term.ensure(self.slots)
        for rows, query, service_column in (
            (self.located, _LOCATED, "sl.service_id"),
            (self.covering, _COVERING, "service_id"),
            (self.points, _POINTS, "sl.service_id"),
        ):
            found = self._rows(connection, query, service_column, ids)
            width = 3 if rows is self.points else 2  # the service, then its values
            flat = np.fromiter(chain.from_iterable(found), dtype=float).reshape(-1, width)
            keep, slots = self._slots_of(flat[:, 0].astype(np.int64))
            values = [flat[keep, i] for i in range(1, width)]
            if rows is self.points:
                lat, lon = np.radians(values[0]), np.radians(values[1])
                values = [lat, lon, *unit_vectors(lat, lon).T]
            rows.add(slots, *values)

    def _slots_of(self, sids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of these service ids the index has, and their slots."""
        if len(sids) < 1_000 or not self.slot_of:
            found = np.array([self.slot_of.get(s, -1) for s in sids.tolist()], np.int64)
        else:  # a first look: hundreds of thousands, vectorised
            ids = np.fromiter(self.slot_of.keys(), np.int64, len(self.slot_of))
            by_id = np.fromiter(self.slot_of.values(), np.int64, len(self.slot_of))
            order = np.argsort(ids, kind="stable")
            ids, by_id = ids[order], by_id[order]
            at = np.minimum(np.searchsorted(ids, sids), len(ids) - 1)
            found = np.where(ids[at] == sids, by_id[at], -1)
        keep = found >= 0
        return keep, found[keep]

    # -- what the gap table asks

    def matching(self, category: str, low: int | None, high: int | None) -> np.ndarray:
        """For each slot: an active service of the category (any, if empty) for these ages."""
        n = self.slots
        chosen = self.alive.values[:n] & self.active.values[:n]
        if category:
            term = self.terms.get(category)
            chosen &= term.values[:n] if term else False
        if low is not None:
            chosen &= ~(self.maximum_age.values[:n] < low)  # unknown (NaN) compares false
            chosen &= ~(self.minimum_age.values[:n] > high)
        return chosen

    def located_counts(self, matching: np.ndarray) -> dict[int, int]:
        """How many matching services have a place in each area (each service once)."""
        return _counted(self.located.column(0)[self.located.chosen(matching)])

    def covering_counts(self, matching: np.ndarray) -> dict[int, int]:
        """How many matching services cover each area as a whole."""
        return _counted(self.covering.column(0)[self.covering.chosen(matching)])

    def places(self, matching: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The places where matching services are offered, in order of latitude: latitudes,
        longitudes (radians) and unit vectors."""
        lat, lon, x, y, z = self.points.in_order(self.points.chosen(matching))
        return lat, lon, np.column_stack([x, y, z])

    def kept(self, key: Hashable, compute: Callable[[], T], areas_only: bool = False) -> T:
        """`compute()`, kept until the services change (or, if `areas_only`, the areas)."""
        with self.lock:
            store = self._kept_areas if areas_only else self._kept
            if key not in store:
                store[key] = compute()
            return store[key]


def _counted(area_ids: np.ndarray) -> dict[int, int]:
    counts = np.bincount(area_ids)
    ids = np.flatnonzero(counts)
    return dict(zip(ids.tolist(), counts[ids].tolist(), strict=True))
