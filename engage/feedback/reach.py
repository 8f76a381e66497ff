"""Reach: are we hearing the right people? The people who came to sessions (counts by group,
never per person) set against the people who live in the area (Census 2021-style counts).
Plain Python, no Flask: profiles are {dimension: {group: count}}."""

from dataclasses import dataclass

from engage.feedback.vocabulary import GROUPS, ReachStatus

# Dimensions and their groups, in the order they are shown. Ethnic groups are the ONS 2021
# high-level categories; "not_said" is counted but left out of the shares.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    dimension.value: groups.values() for dimension, groups in GROUPS.items()
}
NOT_SAID = "not_said"
UNDER, OVER = 0.8, 1.25  # a group's share of those heard, relative to its share of residents


def indicator(dimension: str, group: str) -> str:
    """The AreaFigure indicator holding an area's population in a group."""
    return f"census:{dimension}:{group}"


@dataclass(frozen=True)
class ReachRow:
    dimension: str
    group: str
    heard: int
    heard_share: float  # 0..1 of those who said
    population_share: float | None  # 0..1, None when the area has no figure
    gap: float | None  # percentage points: heard share minus population share
    ratio: float | None

    @property
    def status(self) -> ReachStatus:
        if self.ratio is None:
            return ReachStatus.UNKNOWN
        if self.ratio < UNDER:
            return ReachStatus.UNDER
        return ReachStatus.OVER if self.ratio > OVER else ReachStatus.IN_LINE


def add_profiles(profiles: list[dict]) -> dict[str, dict[str, int]]:
    total: dict[str, dict[str, int]] = {}
    for profile in profiles:
        for dimension, groups in (profile or {}).items():
            into = total.setdefault(dimension, {})
            for group, count in groups.items():
                into[group] = into.get(group, 0) + int(count or 0)
    return total


def check_profile(profile: dict, attendees: int | None) -> list[str]:
    """Problems with a session's profile: unknown groups, negative counts, or a dimension
    adding up to more people than came."""
    problems = []
    for dimension, groups in profile.items():
        known = DIMENSIONS.get(dimension)
        for group, count in groups.items():
            if known is not None and group not in known and group != NOT_SAID:
                problems.append(f"{dimension}: unknown group {group}")
            if count is None or count < 0:
                problems.append(f"{dimension}: {group} must be 0 or more")
        if attendees is not None and sum(c or 0 for c in groups.values()) > attendees:
            problems.append(f"{dimension}: more people than the {attendees} who came")
    return problems


def compare(
    heard: dict[str, dict[str, int]], population: dict[str, dict[str, float]]
) -> list[ReachRow]:
    """One row per dimension and group, in `DIMENSIONS` order (area codes as they come)."""
    rows = []
    dimensions = list(DIMENSIONS) + [d for d in heard if d not in DIMENSIONS]
    for dimension in dimensions:
        counts = {g: c for g, c in heard.get(dimension, {}).items() if g != NOT_SAID}
        residents = population.get(dimension, {})
        groups = DIMENSIONS.get(dimension) or tuple(sorted(set(counts) | set(residents)))
        said, living = sum(counts.values()), sum(residents.get(g, 0) for g in groups)
        if not said:
            continue
        for group in groups:
            share = counts.get(group, 0) / said
            base = residents.get(group, 0) / living if living else None
            gap = None if base is None else round((share - base) * 100, 1)
            ratio = None if not base else round(share / base, 2)
            rows.append(ReachRow(dimension, group, counts.get(group, 0), share, base, gap, ratio))
    return rows
