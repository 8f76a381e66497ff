"""Loading areas from GeoJSON features, parents before children, idempotently."""

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from engage.database import transactional
from engage.extensions import db
from engage.geo.models import Area, AreaLevel

LEVEL_ORDER = {level: index for index, level in enumerate(AreaLevel)}


@transactional
def upsert_areas(features: Iterable[dict[str, Any]], is_demo: bool) -> tuple[int, int]:
    """Create or update areas by code; returns (created, changed). Unchanged areas are left be."""
    by_code = {area.code: area for area in db.session.scalars(select(Area))}
    created = changed = 0
    ordered = sorted(features, key=lambda f: LEVEL_ORDER[f["properties"]["level"]])
    for feature in ordered:
        props = feature["properties"]
        parent_code = props.get("parent_code")
        values = {
            "name": props["name"],
            "level": props["level"],
            "parent": by_code[parent_code] if parent_code else None,
            "council": props.get("council"),
            "population": props.get("population"),
            "population_under_25": props.get("population_under_25"),
            "imd_decile": props.get("imd_decile"),
            "geometry": json.dumps(feature["geometry"], separators=(",", ":")),
            "is_demo": is_demo,
        }
        area = by_code.get(props["code"])
        if area is None:
            area = Area(code=props["code"], **values)
            db.session.add(area)
            by_code[area.code] = area
            created += 1
        elif any(getattr(area, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(area, key, value)
            changed += 1
    return created, changed


def count_areas_by_level() -> dict[str, int]:
    counts: dict[str, int] = {level.value: 0 for level in AreaLevel}
    rows = db.session.execute(select(Area.level, func.count()).group_by(Area.level)).tuples()
    counts.update((str(level), n) for level, n in rows)
    return counts
