"""A synthetic directory of any size (`flask demo load --services N`, and the benchmarks):
organisations, services, locations,
opening times, categories and each location's areas, written with SQLAlchemy Core bulk
inserts (one executemany per table) and one vectorised area assignment.

Locations are spread like a real directory: most cluster around the towns in
seed_assets/places.csv (Gaussian, sigma about 1.5 km, bigger towns more often), the rest are
uniform inside the county (points outside every demo area are drawn again). Every service is
active, was checked in the last 300 days and is marked as demo data.

Call `load_synthetic(n)` inside an app context, after the demo areas are loaded; loading more
adds more (ids follow the largest held)."""

import csv
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, func, insert, select

from engage import ROOT
from engage.asset_map.models import (
    Location,
    LocationAccessibility,
    Organisation,
    Phone,
    Schedule,
    Service,
    ServiceLanguage,
    TaxonomyTerm,
    location_areas,
    service_at_location,
    service_taxonomy,
)
from engage.asset_map.oruk.ids import derived
from engage.asset_map.vocabulary import weekday_mask
from engage.database import utcnow
from engage.extensions import db
from engage.geo.lookup import area_index

SEED = ROOT / "seed_assets"
COUNTY_BOX = (-1.35, 51.98, -0.35, 52.65)  # min lon, min lat, max lon, max lat
CLUSTERED_SHARE = 0.6
SIGMA_M = 1500.0
SECOND_LOCATION_SHARE = 0.1
# Rough relative sizes, only to weight where clustered services go; other towns weigh 1.
TOWN_WEIGHTS = {
    "Northampton": 12.0,
    "Corby": 4.0,
    "Kettering": 4.0,
    "Wellingborough": 3.5,
    "Rushden": 2.0,
    "Daventry": 1.8,
}
PREFIXES = ("Youth", "Community", "Family", "Young People's", "Neighbourhood", "Open", "Safe")
SUFFIXES = ("Club", "Drop-in", "Support", "Project", "Hub", "Service", "Group", "Programme")
AGE_RANGES = ((None, None), (11, 18), (5, 11), (16, 25), (18, None), (10, 19), (None, 25))
ACCESS = ("self_referral", "referral", "both")
LEVELS = ("primary", "secondary", "tertiary")
FEATURES = ("step_free_access", "hearing_loop", "public_transport", "accessible_toilet")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
OPENING = (("09:00", "12:00"), ("15:30", "17:30"), ("18:00", "20:00"), ("10:00", "16:00"))
METRES_PER_DEGREE_LAT = 111_195.0


def _floats(values: np.ndarray) -> Sequence[float]:
    """A numpy array where a sequence of floats is asked for (it is one)."""
    return cast(Sequence[float], values)


def _places() -> list[dict[str, str]]:
    with (SEED / "places.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ensure_taxonomy() -> list[tuple[str, str]]:
    data = json.loads((SEED / "services.json").read_text(encoding="utf-8"))
    existing = set(db.session.scalars(select(TaxonomyTerm.id)))
    rows = [
        {"id": t["id"], "name": t["name"], "description": t.get("description", "")}
        for t in data["taxonomy"]
        if t["id"] not in existing
    ]
    if rows:
        db.session.execute(
            insert(cast(Table, TaxonomyTerm.__table__)),
            [
                {
                    **row,
                    "vocabulary": "engage",
                    "external_code": None,
                    "oruk_id": derived("term", row["id"]),
                }
                for row in rows
            ],
        )
    return [(t["id"], t["name"]) for t in data["taxonomy"]]


def _clustered(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    towns = [p for p in _places() if p["kind"] == "town"]
    weights = np.array([TOWN_WEIGHTS.get(t["name"], 1.0) for t in towns])
    which = rng.choice(len(towns), size=n, p=weights / weights.sum())
    lat0 = np.array([float(t["lat"]) for t in towns])[which]
    lon0 = np.array([float(t["lon"]) for t in towns])[which]
    sigma_lat = SIGMA_M / METRES_PER_DEGREE_LAT
    lats = lat0 + rng.normal(0.0, sigma_lat, n)
    lons = lon0 + rng.normal(0.0, sigma_lat / np.cos(np.radians(lat0)), n)
    return lons, lats, which


def _uniform_in_county(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Uniform points inside some demo area, with the areas each falls in."""
    min_lon, min_lat, max_lon, max_lat = COUNTY_BOX
    lons: list[float] = []
    lats: list[float] = []
    shapes: list[Any] = []
    while len(lons) < n:
        size = max(1000, 2 * (n - len(lons)))
        cand_lon = rng.uniform(min_lon, max_lon, size)
        cand_lat = rng.uniform(min_lat, max_lat, size)
        for lon, lat, found in zip(
            cand_lon.tolist(),
            cand_lat.tolist(),
            area_index().assign(_floats(cand_lon), _floats(cand_lat)),
            strict=True,
        ):
            if found and len(lons) < n:
                lons.append(lon)
                lats.append(lat)
                shapes.append(found)
    return np.array(lons), np.array(lats), shapes


def _nearest_place(lons: np.ndarray, lats: np.ndarray) -> list[str]:
    places = _places()
    plat = np.array([float(p["lat"]) for p in places])
    plon = np.array([float(p["lon"]) for p in places])
    names = [p["name"] for p in places]
    nearest: list[str] = []
    for start in range(0, len(lons), 20_000):
        lo, la = lons[start : start + 20_000, None], lats[start : start + 20_000, None]
        d2 = (la - plat) ** 2 + ((lo - plon) * 0.61) ** 2  # cos(52.3°) ≈ 0.61
        nearest.extend(names[i] for i in d2.argmin(axis=1).tolist())
    return nearest


def _points(rng: np.random.Generator, n: int):
    """n points: clustered ones first (with their areas assigned), then uniform ones."""
    n_clustered = round(n * CLUSTERED_SHARE)
    c_lons, c_lats, _which = _clustered(rng, n_clustered)
    c_shapes = area_index().assign(_floats(c_lons), _floats(c_lats)) if n_clustered else []
    u_lons, u_lats, u_shapes = _uniform_in_county(rng, n - n_clustered)
    lons = np.concatenate([c_lons, u_lons])
    lats = np.concatenate([c_lats, u_lats])
    return lons, lats, list(c_shapes) + u_shapes


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _service_rows(rng, n, first_id, org_ids, terms, towns):
    now = utcnow()
    today = now.date()
    term_names = dict(terms)
    rows: list[dict[str, Any]] = []
    term_rows: list[dict[str, Any]] = []
    extra_rows: dict[str, list[Any]] = {"languages": [], "phones": [], "features": []}
    ages = rng.integers(0, len(AGE_RANGES), n).tolist()
    days_ago = rng.integers(0, 301, n).tolist()
    free = (rng.random(n) < 0.85).tolist()
    extra_language = (rng.random(n) < 0.15).tolist()
    n_terms = rng.integers(1, 3, n).tolist()
    term_pick = rng.integers(0, len(terms), (n, 2)).tolist()
    picks = rng.integers(0, 1000, (n, 6)).tolist()
    for i in range(n):
        sid = first_id + i
        pick = picks[i]
        chosen = list(dict.fromkeys(terms[t][0] for t in term_pick[i][: n_terms[i]]))
        term_rows.extend({"service_id": sid, "taxonomy_term_id": t} for t in chosen)
        for code in ("en", "pl") if extra_language[i] else ("en",):
            extra_rows["languages"].append(
                {"service_id": sid, "code": code, "name": "", "note": ""}
            )
        extra_rows["phones"].append(
            {"service_id": sid, "number": "01632 960000", "description": "", "languages": []}
        )
        low, high = AGE_RANGES[ages[i]]
        prefix = PREFIXES[pick[0] % len(PREFIXES)]
        suffix = SUFFIXES[pick[1] % len(SUFFIXES)]
        name = f"{prefix} {term_names[chosen[0]].lower()} {suffix.lower()} – {towns[i]}"
        extra_rows["features"].append([f for k, f in enumerate(FEATURES) if pick[2] >> k & 1])
        rows.append(
            {
                "id": sid,
                "oruk_id": derived("synthetic", "service", sid),
                "organisation_id": org_ids[i % len(org_ids)],
                "name": name,
                "description": f"{name}: somewhere to go, someone to talk to and things to do.",
                "status": "active",
                "eligibility": "",
                "minimum_age": low,
                "maximum_age": high,
                "free": free[i],
                "cost_description": None if free[i] else "£2 a session",
                "access": ACCESS[pick[3] % len(ACCESS)],
                "prevention_level": LEVELS[pick[4] % len(LEVELS)],
                "email": f"hello{sid}@example.org",
                "url": None,
                "virtual": False,
                "assured_date": today - timedelta(days=days_ago[i]),
                "assured_by": "Synthetic directory",
                "is_demo": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows, term_rows, extra_rows


def _schedule_rows(rng, service_ids: list[int]) -> list[dict]:
    counts = rng.integers(0, 4, len(service_ids)).tolist()
    days = rng.integers(0, 7, (len(service_ids), 3)).tolist()
    slots = rng.integers(0, len(OPENING), len(service_ids)).tolist()
    rows = []
    for sid, count, day, slot in zip(service_ids, counts, days, slots, strict=True):
        opens, closes = OPENING[slot]
        for byday in dict.fromkeys(DAYS[d] for d in day[:count]):
            rows.append(
                {
                    "service_id": sid,
                    "byday": byday,
                    "weekdays": weekday_mask(byday),
                    "freq": "WEEKLY",
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": None,
                }
            )
    return rows


def load_synthetic(n: int, seed: int = 1) -> dict[str, int]:
    """Add n synthetic services (and their rows in every related table); returns row counts."""
    rng = np.random.default_rng(seed)
    terms = _ensure_taxonomy()
    now = utcnow()

    n_second = round(n * SECOND_LOCATION_SHARE)
    lons, lats, shapes = _points(rng, n + n_second)
    towns = _nearest_place(lons, lats)

    first_org = _next_id(Organisation)
    n_orgs = max(1, n // 4)
    org_rows = [
        {
            "id": first_org + i,
            "oruk_id": derived("synthetic", "organisation", first_org + i),
            "name": f"{towns[i]} Community Trust {first_org + i}",
            "description": "",
            "email": None,
            "website": None,
            "created_at": now,
        }
        for i in range(n_orgs)
    ]
    org_ids = [row["id"] for row in org_rows]

    first_service = _next_id(Service)
    service_rows, term_rows, extra = _service_rows(rng, n, first_service, org_ids, terms, towns)
    service_ids = [row["id"] for row in service_rows]

    # Location k belongs to service k; the extra ones to a random tenth of the services.
    first_location = _next_id(Location)
    owners = service_ids + rng.choice(service_ids, n_second, replace=False).tolist()
    street_numbers = rng.integers(1, 200, len(owners)).tolist()
    location_rows: list[dict[str, Any]] = []
    link_rows: list[dict[str, Any]] = []
    area_rows: list[dict[str, Any]] = []
    feature_rows: list[dict[str, Any]] = []
    for k, (sid, lon, lat) in enumerate(zip(owners, lons.tolist(), lats.tolist(), strict=True)):
        lid = first_location + k
        location_rows.append(
            {
                "id": lid,
                "oruk_id": derived("synthetic", "location", lid),
                "address_oruk_id": derived("synthetic", "address", lid),
                "name": f"{towns[k]} Centre",
                "address_1": f"{street_numbers[k]} High Street",
                "city": towns[k],
                "postcode": "",
                "latitude": round(lat, 6),
                "longitude": round(lon, 6),
                "location_type": "physical",
            }
        )
        link_rows.append({"service_id": sid, "location_id": lid})
        features = extra["features"][sid - first_service] if k < n else []
        feature_rows.extend(
            {"location_id": lid, "feature": f, "description": "", "details": ""} for f in features
        )
        area_rows.extend({"location_id": lid, "area_id": s.area_id} for s in shapes[k])

    schedule_rows = _schedule_rows(rng, service_ids)
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (Organisation.__table__, org_rows),
        (Service.__table__, service_rows),
        (Location.__table__, location_rows),
        (service_at_location, link_rows),
        (service_taxonomy, term_rows),
        (Schedule.__table__, schedule_rows),
        (location_areas, area_rows),
        (ServiceLanguage.__table__, extra["languages"]),
        (Phone.__table__, extra["phones"]),
        (LocationAccessibility.__table__, feature_rows),
    ]
    for table, rows in tables:
        if rows:
            db.session.execute(insert(table), rows)
    db.session.commit()
    return {
        "organisations": len(org_rows),
        "services": len(service_rows),
        "locations": len(location_rows),
        "service_taxonomy_terms": len(term_rows),
        "schedules": len(schedule_rows),
        "location_areas": len(area_rows),
    }
