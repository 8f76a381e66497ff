"""Areas as plain rows, and what follows from their nesting: each area's area at a level,
the areas at a level within each area, and each area's IMD decile (its own, or the
population-weighted mean of those within it). One query for every area at once, instead of
walking the ORM's parent and children relationships one lazy load at a time."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from engage.extensions import db
from engage.geo.models import Area

UNKNOWN_DECILE = 5.5  # an area with no decile of its own or of any LSOA within it


class Nested(Protocol):
    """An area as far as its nesting goes (a Place, or an Area itself)."""

    @property
    def id(self) -> int: ...
    @property
    def level(self) -> str: ...
    @property
    def parent_id(self) -> int | None: ...


@dataclass(frozen=True)
class Place:
    """An area's place among the others and its figures, without its boundary."""

    id: int
    level: str
    parent_id: int | None
    population: int | None
    imd_decile: int | None


def places() -> dict[int, Place]:
    rows = db.session.execute(
        select(Area.id, Area.level, Area.parent_id, Area.population, Area.imd_decile)
    )
    return {row.id: Place(*row) for row in rows}


def _lineage(every: Mapping[int, Nested], area_id: int) -> Iterable[int]:
    """The area's ancestors, nearest first (a loop in bad data ends the walk)."""
    seen = {area_id}
    parent = every[area_id].parent_id
    while parent is not None and parent in every and parent not in seen:
        yield parent
        seen.add(parent)
        parent = every[parent].parent_id


def deciles(every: dict[int, Place] | None = None) -> dict[int, float]:
    """Each area's IMD decile: its own, or the population-weighted mean of those of the areas
    within it (its LSOAs), or UNKNOWN_DECILE. One query, for every area at once."""
    every = places() if every is None else every
    total: dict[int, float] = defaultdict(float)
    weight: dict[int, float] = defaultdict(float)
    for place in every.values():
        if place.imd_decile:
            for ancestor in _lineage(every, place.id):
                total[ancestor] += place.imd_decile * (place.population or 1)
                weight[ancestor] += place.population or 1
    return {
        p.id: float(
            p.imd_decile or (total[p.id] / weight[p.id] if weight[p.id] else UNKNOWN_DECILE)
        )
        for p in every.values()
    }


def up(every: Mapping[int, Nested], level: str) -> dict[int, int]:
    """Each area at or below the level -> its area at the level."""
    result = {}
    for place in every.values():
        found = [place.id, *_lineage(every, place.id)]
        at_level = [a for a in found if every[a].level == level]
        if at_level:
            result[place.id] = at_level[0]
    return result


def below(every: Mapping[int, Nested], level: str) -> dict[int, list[int]]:
    """Each area -> the areas at the level that are it or lie within it."""
    result: dict[int, list[int]] = defaultdict(list)
    for place in every.values():
        if place.level == level:
            for area_id in (place.id, *_lineage(every, place.id)):
                result[area_id].append(place.id)
    return result
