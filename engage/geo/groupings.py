"""Local Area Partnerships, or any local grouping, made from wards: an officer lists each ward
code with the name of the area it belongs to (CSV: ward code, area name), and the area's
boundary is the union of its wards, drawn again whenever they change. No LAP boundary file is
needed. Where no wards are loaded, LSOA codes can be grouped the same way."""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

import shapely
from flask_babel import gettext as _
from shapely.geometry import mapping, shape
from sqlalchemy import select

from engage.database import transactional
from engage.extensions import db
from engage.geo.geometry import repair
from engage.geo.models import Area, AreaLevel
from engage.geo.problems import Problems
from engage.importing import csv_rows

MEMBER_LEVELS = (AreaLevel.WARD, AreaLevel.LSOA)


@dataclass
class GroupingImport:
    member_level: str
    created: int = 0
    changed: int = 0
    members: int = 0
    left_out: list[str] = field(default_factory=list)  # names of member-level areas not listed


@transactional
def import_groupings(stream: BinaryIO) -> GroupingImport:
    """Create or update the areas a CSV of (ward code, area name) rows describes."""
    groups = _read_groupings(stream)
    members = [area for areas in groups.values() for area in areas]
    result = GroupingImport(members[0].level, members=len(members))
    listed = {area.id for area in members}
    for name, areas in groups.items():
        grouping, created = _grouping_named(name)
        for area in areas:
            area.parent = grouping
        changed = _draw(grouping, areas)
        result.created += created
        result.changed += changed and not created
    others = select(Area).where(Area.level == result.member_level).order_by(Area.name)
    result.left_out = [a.name for a in db.session.scalars(others) if a.id not in listed]
    return result


def _read_groupings(stream: BinaryIO) -> dict[str, list[Area]]:
    by_code = {
        a.code: a for a in db.session.scalars(select(Area).where(Area.level.in_(MEMBER_LEVELS)))
    }
    problems, groups, seen = Problems(), defaultdict(list), set()
    level = None
    for line, row in csv_rows(stream, set()):
        cells = list(row.values())
        if len(cells) < 2:
            problems.add(line, None, _("give a ward code and an area name on each line"))
            continue
        code, name = cells[0], cells[1]
        area = by_code.get(code)
        if area is None:
            problems.add(line, "ward_code", _("no ward has the code %(code)s", code=code[:40]))
            continue
        if code in seen:
            problems.add(line, "ward_code", _("%(code)s is listed twice", code=code))
        seen.add(code)
        level = level or area.level
        if area.level != level:
            message = _("list wards only, or LSOAs only, not both")
            problems.add(line, "ward_code", message)
        if not name or len(name) > 120 or "\x00" in name:
            problems.add(line, "area_name", _("give the area a name of up to 120 characters"))
            continue
        groups[name].append(area)
    if not groups and not problems:
        problems.add(None, None, _("the file lists no wards"))
    problems.raise_if_any()
    return dict(groups)


def _grouping_named(name: str) -> tuple[Area, bool]:
    """The Local Area Partnership of that name, made if it does not exist yet."""
    existing = db.session.scalar(
        select(Area).where(Area.level == AreaLevel.LAP, Area.name == name).limit(1)
    )
    if existing is not None:
        return existing, False
    base = "LAP-" + (re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")[:24] or "AREA")
    code, suffix = base, 1
    while db.session.scalar(select(Area.id).where(Area.code == code)) is not None:
        suffix += 1
        code = f"{base}-{suffix}"
    area = Area(code=code, name=name, level=AreaLevel.LAP, geometry="{}", from_children=True)
    db.session.add(area)
    return area, True


def _draw(grouping: Area, members: list[Area]) -> bool:
    """Set the grouping's boundary to the union of its members'; whether it changed."""
    union = shapely.union_all([shape(json.loads(a.geometry)) for a in members])
    geometry = json.dumps(mapping(repair(union)[0]), separators=(",", ":"))
    grouping.from_children = True
    if grouping.geometry == geometry:
        return False
    grouping.geometry = geometry
    return True


def redraw_groupings() -> int:
    """After boundaries change: every grouping drawn again from its members (flushed, not
    committed). Returns how many changed."""
    changed = 0
    for grouping in db.session.scalars(select(Area).where(Area.from_children.is_(True))):
        members = list(grouping.children)
        if members:
            changed += _draw(grouping, members)
    return changed
