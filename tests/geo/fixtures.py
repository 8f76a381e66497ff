"""The geography fixtures (tests/fixtures/geo, see its README) and helpers to load them."""

import io
import json
from pathlib import Path

from engage.geo import boundaries

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "geo"
KETTERING = FIXTURES / "lsoa-2011-E07000153-kettering.geojson"
CORBY = FIXTURES / "lsoa-2011-E07000150-corby.geojson"
FILE_1 = FIXTURES / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
FILE_6 = FIXTURES / "File_6_-_IoD2019_Population_Denominators.csv"
FILE_7 = FIXTURES / "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
MID_YEAR = FIXTURES / "sapelsoasyoa-mid-2022-lsoa-2021.csv"
ROTHWELL = (52.4224, -0.8004)  # the town centre, in Kettering 003D (E01027126)


def load_lsoas(*paths: Path) -> None:
    for path in paths or (KETTERING, CORBY):
        with path.open("rb") as stream:
            boundaries.import_boundary_file(stream)


def as_bytes(data) -> io.BytesIO:
    return io.BytesIO(json.dumps(data).encode())


def collection(*features, crs=None) -> dict:
    data = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data


def feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}
