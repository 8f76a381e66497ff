"""Build DEMO postcodes for the Engage asset map (seed_assets/demo_postcodes.csv).

THIS IS DEMO DATA: real postcode sectors of the towns in places.csv (Rothwell is in NN14 6),
with made-up units placed a few hundred metres around each town's point. They are not where
any real postcode is. The file has the columns of the ONS postcode directories (pcds, doterm,
lat, long), so `flask demo load` reads it with the same importer as the real NSPL, and
searching "NN14 6" or "NN14 6AB" in the demo lands in Rothwell.
Deterministic: fixed seed, no network, standard library only. From the repository root:
    python3 seed_assets/build_demo_postcodes.py
"""

import csv
import math
import random
from pathlib import Path

SEED = 20261130
HERE = Path(__file__).resolve().parent
OUT = HERE / "demo_postcodes.csv"
UNITS = ("AB", "BD", "DE", "EF", "HQ", "JL", "LP", "NR")
SPREAD_M = 500
SECTORS = {  # town or suburb in places.csv: its sectors
    "Rothwell": ("NN14 6",),
    "Desborough": ("NN14 2",),
    "Thrapston": ("NN14 4",),
    "Kettering": ("NN16 0", "NN16 8"),
    "Barton Seagrave": ("NN15 6",),
    "Burton Latimer": ("NN15 5",),
    "Corby": ("NN17 1", "NN17 2"),
    "Danesholme": ("NN18 9",),
    "Wellingborough": ("NN8 1", "NN8 4"),
    "Finedon": ("NN9 5",),
    "Rushden": ("NN10 0", "NN10 9"),
    "Higham Ferrers": ("NN10 8",),
    "Raunds": ("NN9 6",),
    "Oundle": ("PE8 4",),
    "Northampton": ("NN1 1", "NN1 2"),
    "Kingsthorpe": ("NN2 7",),
    "Weston Favell": ("NN3 3",),
    "Duston": ("NN5 6",),
    "Far Cotton": ("NN4 8",),
    "Daventry": ("NN11 4",),
    "Towcester": ("NN12 6",),
    "Brackley": ("NN13 7",),
}


def main() -> None:
    rng = random.Random(SEED)
    with (HERE / "places.csv").open(newline="", encoding="utf-8") as handle:
        points = {
            row["name"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)
        }
    rows = []
    for town, sectors in SECTORS.items():
        lat, lon = points[town]
        for sector in sectors:
            for unit in UNITS[: rng.randint(4, len(UNITS))]:
                bearing, metres = rng.uniform(0, 2 * math.pi), rng.uniform(50, SPREAD_M)
                dlat = metres * math.cos(bearing) / 111_320
                dlon = metres * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
                rows.append((f"{sector}{unit}", f"{lat + dlat:.6f}", f"{lon + dlon:.6f}"))
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["pcds", "doterm", "lat", "long"])
        for postcode, lat, lon in rows:
            writer.writerow([postcode, "", lat, lon])
    print(f"wrote {len(rows)} demo postcodes in {sum(map(len, SECTORS.values()))} sectors")


if __name__ == "__main__":
    main()
