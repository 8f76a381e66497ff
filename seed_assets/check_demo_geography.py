"""Check the DEMO geography in seed_assets/ (areas.geojson, places.csv, postcode_districts.csv).

Run from the repository root, in a venv that has shapely 2:
    /tmp/geo-venv/bin/python seed_assets/check_demo_geography.py
Exits 1 if any check fails; prints counts, total population and file sizes.
"""

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import shapely
from build_demo_geography import COUNTY
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

HERE = Path(__file__).resolve().parent
PROPS = {
    "code",
    "name",
    "level",
    "parent_code",
    "council",
    "population",
    "population_under_25",
    "imd_decile",
}
COUNCILS = {"North Northamptonshire", "West Northamptonshire"}
PARENT_LEVEL = {"ward": "lap", "lsoa": "ward"}
CODE_PREFIX = {"lap": "DEMO-LAP-", "ward": "DEMO-W-", "lsoa": "DEMO-L-"}
problems = []


def fail(message):
    problems.append(message)


def check_properties(areas):
    codes = Counter(a["code"] for a in areas)
    for code, n in codes.items():
        if n > 1:
            fail(f"duplicate code {code}")
    for a in areas:
        if set(a) - {"geom"} != PROPS:
            fail(f"{a['code']}: properties {sorted(set(a) - {'geom'})}")
        if not a["code"].startswith(CODE_PREFIX[a["level"]]) or a["council"] not in COUNCILS:
            fail(f"{a['code']}: bad code prefix or council")
        if (a["imd_decile"] is None) != (a["level"] != "lsoa"):
            fail(f"{a['code']}: imd_decile must be 1-10 for LSOAs only")
        if a["level"] == "lsoa" and not (
            1 <= a["imd_decile"] <= 10 and 1200 <= a["population"] <= 2500
        ):
            fail(f"{a['code']}: imd {a['imd_decile']} or population {a['population']} off")
        share = a["population_under_25"] / a["population"]
        if not 0.25 <= share <= 0.40:
            fail(f"{a['code']}: under-25 share {share:.2f}")
        if not a["geom"].is_valid or a["geom"].geom_type not in ("Polygon", "MultiPolygon"):
            fail(f"{a['code']}: invalid geometry or type {a['geom'].geom_type}")


def check_parent(a, by_code):
    """One ward or LSOA against its parent; returns the parent's code, or None."""
    parent = by_code.get(a["parent_code"])
    if parent is None or parent["level"] != PARENT_LEVEL[a["level"]]:
        fail(f"{a['code']}: parent {a['parent_code']} missing or wrong level")
        return None
    if parent["council"] != a["council"]:
        fail(f"{a['code']}: council differs from parent's")
    if not a["geom"].within(parent["geom"].buffer(1e-6)):
        fail(f"{a['code']}: not within parent {parent['code']}")
    return parent["code"]


def check_nesting(areas, by_code):
    children = defaultdict(list)
    for a in areas:
        if a["level"] == "lap" and a["parent_code"] is not None:
            fail(f"{a['code']}: LAP with a parent")
        elif a["level"] != "lap" and (parent_code := check_parent(a, by_code)):
            children[parent_code].append(a)
    for a in areas:
        kids = children[a["code"]]
        if a["level"] == "lsoa":
            continue
        if not kids:
            fail(f"{a['code']}: has no children")
            continue
        for key in ("population", "population_under_25"):
            if sum(k[key] for k in kids) != a[key]:
                fail(f"{a['code']}: {key} is not the sum of its children")
        union = shapely.union_all([k["geom"] for k in kids])
        if abs(union.area - a["geom"].area) > 1e-3 * a["geom"].area:
            fail(f"{a['code']}: children's union area differs from its own by > 0.1%")
    return children


def check_overlaps(areas, level):
    geoms = [a["geom"] for a in areas if a["level"] == level]
    tree = STRtree(geoms)
    worst = 0.0
    for i, j in zip(*tree.query(geoms, predicate="intersects"), strict=True):
        if i < j:
            area = geoms[i].intersection(geoms[j]).area
            worst = max(worst, area)
            if area >= 1e-9:
                fail(f"{level}: features {i} and {j} overlap by {area:.2e} deg2")
    return worst


def check_points(lsoas, filename, label, by_code):
    with (HERE / filename).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = Counter(r[label] for r in rows)
    for name, n in names.items():
        if n > 1:
            fail(f"{filename}: duplicate {name}")
    geoms = [a["geom"] for a in lsoas]
    tree = STRtree(geoms)
    mismatched = []
    for r in rows:
        pt = Point(float(r["lon"]), float(r["lat"]))
        hits = [i for i in tree.query(pt) if geoms[i].contains(pt)]
        if len(hits) != 1:
            fail(f"{filename}: {r[label]} falls in {len(hits)} LSOAs")
        elif "council" in r and lsoas[hits[0]]["council"] != r["council"]:
            ward = by_code[lsoas[hits[0]]["parent_code"]]["name"]
            mismatched.append(f"{r[label]} (in demo ward {ward})")
    return rows, mismatched


def main():
    collection = json.loads((HERE / "areas.geojson").read_text(encoding="utf-8"))
    if collection.get("metadata", {}).get("demo") is not True:
        fail("metadata.demo is not true")
    areas = [dict(f["properties"], geom=shape(f["geometry"])) for f in collection["features"]]
    by_code = {a["code"]: a for a in areas}
    check_properties(areas)
    children = check_nesting(areas, by_code)
    worst = {lvl: check_overlaps(areas, lvl) for lvl in ("lap", "ward", "lsoa")}
    lsoas = [a for a in areas if a["level"] == "lsoa"]
    county = shapely.Polygon(COUNTY)
    laps_union = shapely.union_all([a["geom"] for a in areas if a["level"] == "lap"])
    if abs(laps_union.area - county.area) > 1e-3 * county.area:
        fail("the LAPs do not cover the county outline")
    places, mismatched = check_points(lsoas, "places.csv", "name", by_code)
    districts, _ = check_points(lsoas, "postcode_districts.csv", "district", by_code)
    if len(places) < 80 or any(r["kind"] not in ("town", "village", "suburb") for r in places):
        fail("places.csv: fewer than 80 rows or a bad kind")

    counts = Counter(a["level"] for a in areas)
    per_parent = {
        lvl: sorted(len(children[a["code"]]) for a in areas if a["level"] == lvl)
        for lvl in ("lap", "ward")
    }
    laps = [a for a in areas if a["level"] == "lap"]
    print(f"areas: {dict(counts)}")
    print(
        f"wards per LAP {per_parent['lap'][0]}-{per_parent['lap'][-1]}, "
        f"LSOAs per ward {per_parent['ward'][0]}-{per_parent['ward'][-1]}"
    )
    print(
        f"population {sum(a['population'] for a in laps):,}, under 25 "
        f"{sum(a['population_under_25'] for a in laps):,}"
    )
    for council in sorted(COUNCILS):
        print(f"  {council}: {sum(a['population'] for a in laps if a['council'] == council):,}")
    multi = Counter(a["level"] for a in areas if a["geom"].geom_type == "MultiPolygon")
    print("MultiPolygon features per level:", dict(multi) or "none")
    print("IMD deciles:", dict(sorted(Counter(a["imd_decile"] for a in lsoas).items())))
    print("largest sibling overlap (deg2):", {k: f"{v:.1e}" for k, v in worst.items()})
    print(f"places {len(places)}, postcode districts {len(districts)}: each in exactly one LSOA")
    if mismatched:
        print(
            f"note: {len(mismatched)} places whose real council differs from the demo "
            f"area they fall in: {', '.join(mismatched)}"
        )
    for name in ("areas.geojson", "places.csv", "postcode_districts.csv"):
        print(f"{name}: {(HERE / name).stat().st_size:,} bytes")
    if (HERE / "areas.geojson").stat().st_size >= 1_500_000:
        fail("areas.geojson is 1.5 MB or more")
    for message in problems:
        print("FAIL:", message)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
