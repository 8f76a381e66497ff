"""Build the DEMO geography for North and West Northamptonshire (Engage seed data).

THIS IS DEMO DATA. Real ONS boundary files are not available offline, so every boundary here is
invented: Voronoi cells of seed points placed around real towns and suburbs, clipped to a rough
county outline. Codes start with "DEMO-" so they can never be mistaken for ONS GSS codes, and the
populations and IMD deciles are plausible made-up numbers, not statistics.

Method (nesting is exact by construction):
  1. Each ward has a real-place centre; a Voronoi of the ward centres gives rough ward regions.
  2. Each ward scatters its LSOA seed points inside its region (dense in towns).
  3. One Voronoi of all LSOA seeds, clipped to the county, gives the LSOAs (snapped to 1e-5 deg).
  4. A ward is the union of its LSOAs, a Local Area Partnership (LAP) the union of its wards.

Deterministic (fixed random seed, no network). Rerun from the repository root with:
    python3 -m venv /tmp/geo-venv && /tmp/geo-venv/bin/pip install shapely
    /tmp/geo-venv/bin/python seed_assets/build_demo_geography.py
It writes seed_assets/areas.geojson; check it with seed_assets/check_demo_geography.py.
"""

import json
import math
import random
from collections import Counter
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping

SEED = 20240611
GRID = 1e-5  # output precision in degrees (5 decimal places)
KX = math.cos(math.radians(52.3))  # squash longitude so cells are roughly isotropic on the ground
OUT = Path(__file__).with_name("areas.geojson")

# fmt: off
# Rough county outline (lon, lat), clockwise from south of Aynho.
COUNTY = [
    (-1.28, 51.98), (-1.33, 52.08), (-1.35, 52.17), (-1.29, 52.24), (-1.22, 52.30),
    (-1.18, 52.36), (-1.10, 52.41), (-1.00, 52.45), (-0.88, 52.47), (-0.76, 52.52),
    (-0.66, 52.57), (-0.55, 52.63), (-0.45, 52.65), (-0.38, 52.60), (-0.35, 52.52),
    (-0.37, 52.44), (-0.44, 52.38), (-0.50, 52.32), (-0.55, 52.26), (-0.64, 52.20),
    (-0.76, 52.15), (-0.80, 52.11), (-0.84, 52.06), (-0.87, 52.03), (-1.00, 52.00),
    (-1.15, 51.98),
]

NN, WN = "North Northamptonshire", "West Northamptonshire"
# LAP name, council, LSOA name stem (old district, as ONS names LSOAs), wards.
# Ward: (name, lat, lon, number of LSOAs, typical IMD decile, kind: u=urban, t=town, r=rural)
LAPS = [
    ("Corby", NN, "Corby", [
        ("Corby Central", 52.489, -0.697, 7, 2, "u"),
        ("Kingswood & Hazel Leys", 52.483, -0.712, 7, 1, "u"),
        ("Lloyds & Corby Village", 52.494, -0.682, 6, 2, "u"),
        ("Oakley Vale", 52.476, -0.676, 7, 6, "u"),
        ("Beanfield", 52.500, -0.705, 6, 3, "u"),
        ("Danesholme & Great Oakley", 52.473, -0.722, 5, 4, "u"),
        ("Weldon & Stanion", 52.484, -0.640, 5, 8, "r"),
        ("Gretton & Rockingham", 52.525, -0.700, 5, 8, "r")]),
    ("Kettering", NN, "Kettering", [
        ("William Knibb", 52.398, -0.727, 8, 2, "u"),
        ("Avondale Grange", 52.408, -0.742, 7, 3, "u"),
        ("Northall", 52.410, -0.720, 7, 4, "u"),
        ("Ise Lodge & Pipers Hill", 52.400, -0.702, 8, 6, "u"),
        ("Barton Seagrave", 52.385, -0.704, 7, 8, "t"),
        ("Burton Latimer", 52.364, -0.677, 7, 6, "t"),
        ("Rothwell & Mawsley", 52.410, -0.805, 8, 6, "t"),
        ("Desborough", 52.441, -0.821, 7, 5, "t")]),
    ("Wellingborough", NN, "Wellingborough", [
        ("Queensway", 52.310, -0.714, 7, 2, "u"),
        ("Hemmingwell", 52.313, -0.684, 6, 2, "u"),
        ("Swanspool & Victoria", 52.301, -0.695, 7, 3, "u"),
        ("Croyland", 52.294, -0.677, 6, 5, "u"),
        ("Redwell", 52.322, -0.702, 6, 6, "u"),
        ("Finedon", 52.339, -0.654, 5, 6, "t"),
        ("Earls Barton & Sywell", 52.272, -0.765, 5, 7, "r"),
        ("Irchester & Wollaston", 52.262, -0.665, 5, 7, "r")]),
    ("East Northamptonshire (Rushden & Higham Ferrers)", NN, "East Northamptonshire", [
        ("Rushden North", 52.298, -0.612, 6, 5, "u"),
        ("Rushden East", 52.289, -0.588, 5, 5, "u"),
        ("Rushden South", 52.276, -0.603, 6, 6, "u"),
        ("Higham Ferrers", 52.307, -0.590, 5, 7, "t"),
        ("Irthlingborough", 52.326, -0.614, 6, 4, "t")]),
    ("Thrapston & Oundle", NN, "East Northamptonshire", [
        ("Raunds", 52.345, -0.538, 6, 6, "t"),
        ("Thrapston", 52.397, -0.537, 5, 6, "t"),
        ("Woodford & Ringstead", 52.375, -0.575, 4, 7, "r"),
        ("Oundle", 52.481, -0.468, 5, 8, "t"),
        ("Brigstock & Lowick", 52.440, -0.590, 4, 8, "r"),
        ("King's Cliffe", 52.555, -0.515, 4, 8, "r"),
        ("Easton on the Hill & Duddington", 52.612, -0.510, 4, 9, "r")]),
    ("Northampton North", WN, "Northampton", [
        ("Kingsthorpe", 52.266, -0.898, 9, 5, "u"),
        ("Parklands & Boothville", 52.273, -0.866, 7, 7, "u"),
        ("Spencer & Semilong", 52.248, -0.906, 8, 2, "u"),
        ("Abington & Phippsville", 52.244, -0.872, 9, 5, "u"),
        ("Weston Favell", 52.254, -0.838, 9, 4, "u"),
        ("Blackthorn & Thorplands", 52.270, -0.840, 9, 2, "u"),
        ("Lings & Ecton Brook", 52.258, -0.812, 8, 3, "u"),
        ("Moulton & Boughton", 52.292, -0.862, 6, 8, "t")]),
    ("Northampton South", WN, "Northampton", [
        ("Castle", 52.236, -0.893, 9, 1, "u"),
        ("St James", 52.234, -0.917, 8, 2, "u"),
        ("Dallington & Kings Heath", 52.255, -0.925, 8, 2, "u"),
        ("Duston", 52.249, -0.955, 9, 7, "u"),
        ("Upton & Sixfields", 52.229, -0.955, 7, 6, "u"),
        ("Far Cotton & Delapre", 52.223, -0.890, 8, 3, "u"),
        ("Hunsbury", 52.211, -0.918, 8, 5, "u"),
        ("East Hunsbury & Wootton", 52.199, -0.882, 8, 8, "u")]),
    ("Daventry", WN, "Daventry", [
        ("Daventry East", 52.262, -1.147, 7, 4, "u"),
        ("Daventry West", 52.252, -1.173, 7, 5, "u"),
        ("Braunston & Welton", 52.292, -1.180, 4, 8, "r"),
        ("Long Buckby", 52.303, -1.079, 5, 7, "t"),
        ("Crick & West Haddon", 52.345, -1.110, 4, 8, "r"),
        ("Guilsborough & Welford", 52.392, -1.020, 4, 9, "r"),
        ("Brixworth & Walgrave", 52.330, -0.890, 6, 8, "t"),
        ("Weedon & Flore", 52.232, -1.075, 4, 7, "r")]),
    ("Towcester & South Northants", WN, "South Northamptonshire", [
        ("Towcester", 52.134, -0.990, 7, 7, "t"),
        ("Roade & Blisworth", 52.163, -0.915, 5, 8, "r"),
        ("Grange Park & Hackleton", 52.193, -0.845, 6, 8, "t"),
        ("Yardley Hastings & Cogenhoe", 52.222, -0.772, 4, 9, "r"),
        ("Deanshanger & Old Stratford", 52.052, -0.880, 5, 7, "r"),
        ("Silverstone & Paulerspury", 52.092, -1.000, 4, 9, "r"),
        ("Bugbrooke & Nether Heyford", 52.212, -1.020, 5, 8, "r")]),
    ("Brackley", WN, "South Northamptonshire", [
        ("Brackley East", 52.034, -1.135, 5, 6, "u"),
        ("Brackley West", 52.030, -1.158, 5, 7, "u"),
        ("Middleton Cheney & King's Sutton", 52.048, -1.268, 5, 8, "r"),
        ("Helmdon & Sulgrave", 52.095, -1.165, 4, 9, "r"),
        ("Woodford Halse & Byfield", 52.172, -1.228, 4, 7, "r")]),
]
PROPS = ("code", "name", "level", "parent_code", "council", "population",
         "population_under_25", "imd_decile")
# fmt: on
# kind -> (gaussian spread around the centre in degrees, share of uniform seeds, min seed spacing)
KINDS = {"u": (0.007, 0.0, 0.0025), "t": (0.010, 0.25, 0.004), "r": (0.0, 1.0, 0.010)}
U25_BASE = {"u": 0.34, "t": 0.31, "r": 0.29}
RURAL_KM2 = 6.0  # an LSOA bigger than this is treated as rural for IMD and age mix


def stretch_x(geom, factor):
    return shapely.transform(geom, lambda c: c * np.array([factor, 1.0]))


def scatter(rng, region, ward, taken):
    """Seed points for one ward's LSOAs, inside its region and not too close to any other."""
    _, lat, lon, n, _, kind = ward
    sigma, uniform_share, spacing = KINDS[kind]
    minx, miny, maxx, maxy = region.bounds
    pts, tries = [], 0
    if kind == "r" and region.contains(Point(lon * KX, lat)):
        pts.append((lon * KX, lat))
    while len(pts) < n:
        tries += 1
        if tries % 5000 == 0:
            spacing *= 0.8  # tiny region: relax the spacing rather than loop for ever
        if rng.random() < uniform_share:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        else:
            x, y = rng.gauss(lon * KX, sigma), rng.gauss(lat, sigma)
        if not shapely.contains_xy(region, x, y):
            continue
        if any((x - a) ** 2 + (y - b) ** 2 < spacing**2 for a, b in taken + pts):
            continue
        pts.append((x, y))
    taken.extend(pts)
    return pts


def cells(points, clip):
    """Voronoi cells of points (in input order), clipped to clip."""
    vor = shapely.voronoi_polygons(MultiPoint(points), extend_to=clip, ordered=True)
    return [shapely.intersection(cell, clip) for cell in vor.geoms]


def lsoa_stats(rng, ward, geom):
    """Made-up but plausible population, under-25s and IMD decile for one LSOA."""
    imd_base, kind = ward[4], ward[5]
    if geom.area * 111.2 * 111.2 * KX > RURAL_KM2:  # big cell = countryside at the town edge
        imd_base, kind = max(imd_base, 7), "r"
    population = round(rng.triangular(1200, 2500, 1650))
    imd = min(10, max(1, imd_base + rng.choice([-2, -1, -1, 0, 0, 0, 1, 1, 2])))
    share = U25_BASE[kind] + (5 - imd) * 0.005 + rng.uniform(-0.02, 0.02)
    return population, round(population * min(0.395, max(0.255, share))), imd


def props(*values):
    """code, name, level, parent_code, council, population, population_under_25[, imd_decile]"""
    return dict(zip(PROPS, values + (None,) * (len(PROPS) - len(values)), strict=True))


def merge(kids, code, name, level, parent, council):
    """A parent area: the union of its children's shapes and the sum of their people."""
    geom = shapely.union_all([g for g, _ in kids], grid_size=GRID)
    pop = sum(p["population"] for _, p in kids)
    u25 = sum(p["population_under_25"] for _, p in kids)
    return geom, props(code, name, level, parent, council, pop, u25)


def feature(geom, properties):
    geom = geom if geom.is_valid else shapely.make_valid(geom)
    gj = mapping(shapely.orient_polygons(geom))  # RFC 7946: exterior rings anticlockwise
    gj["coordinates"] = json.loads(
        json.dumps(gj["coordinates"]), parse_float=lambda s: round(float(s), 5)
    )
    return {"type": "Feature", "properties": properties, "geometry": gj}


def build():
    rng = random.Random(SEED)
    county = stretch_x(Polygon(COUNTY), KX)
    wards = [(lap_i, w) for lap_i, lap in enumerate(LAPS) for w in lap[3]]
    regions = cells([(w[2] * KX, w[1]) for _, w in wards], county)
    seeds, owner, taken = [], [], []
    for ward_i, ((_, ward), region) in enumerate(zip(wards, regions, strict=True)):
        pts = scatter(rng, region, ward, taken)
        seeds += pts
        owner += [ward_i] * len(pts)
    lsoa_geoms = [shapely.set_precision(stretch_x(c, 1 / KX), GRID) for c in cells(seeds, county)]

    out = {"lap": [], "ward": [], "lsoa": []}
    msoa_no = Counter()  # LSOA names count per old district, as ONS names do
    for lap_i, (lap_name, council, stem, _) in enumerate(LAPS):
        lap_code = f"DEMO-LAP-{lap_i + 1:02d}"
        lap_wards = []
        for ward_i, ward in ((i, w) for i, (li, w) in enumerate(wards) if li == lap_i):
            msoa_no[stem] += 1
            ward_code = f"DEMO-W-{ward_i + 1:03d}"
            mine = [g for g, o in zip(lsoa_geoms, owner, strict=True) if o == ward_i]
            kids = []
            for k, geom in enumerate(mine):
                code = f"DEMO-L-{len(out['lsoa']) + k + 1:04d}"
                name = f"{stem} {msoa_no[stem]:03d}{chr(ord('A') + k)}"
                stats = lsoa_stats(rng, ward, geom)
                kids.append((geom, props(code, name, "lsoa", ward_code, council, *stats)))
            out["lsoa"] += kids
            lap_wards.append(merge(kids, ward_code, ward[0], "ward", lap_code, council))
        out["ward"] += lap_wards
        out["lap"].append(merge(lap_wards, lap_code, lap_name, "lap", None, council))
    return [feature(g, p) for level in ("lap", "ward", "lsoa") for g, p in out[level]]


def main():
    features = build()
    note = (
        "Demo geography, not real ONS boundaries: invented areas around real Northamptonshire "
        "places, made-up populations and IMD deciles. Made by build_demo_geography.py."
    )
    collection = {
        "type": "FeatureCollection",
        "metadata": {"demo": True, "note": note},
        "features": features,
    }
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    levels = Counter(f["properties"]["level"] for f in features)
    print(f"wrote {OUT.name}: {dict(levels)}, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
