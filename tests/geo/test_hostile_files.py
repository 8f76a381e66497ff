"""Whatever bytes an officer gives the importers — real headers with hostile cells, or none —
the answer is an import or a list of problems, never a crash, on either database."""

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.extensions import db
from engage.geo import boundaries, figures, groupings, postcodes
from engage.importing import ImportFailed
from tests.geo.fixtures import FIXTURES, collection, feature, load_lsoas

HEADERS = [
    (FIXTURES / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv").read_text("utf-8-sig"),
    (FIXTURES / "sapelsoasyoa-mid-2022-lsoa-2021.csv").read_text("utf-8"),
    (FIXTURES / "NSPL_AUG_2025_UK_extract.csv").read_text("utf-8"),
    "area_code,indicator,value\n",
    "ward_code,area_name\n",
]
HOSTILE = st.one_of(
    st.sampled_from(["", "²", "\x00", "9" * 30, "-1", "1e400", "E01027124", "NN14 6AA", "52.4"]),
    st.text(max_size=12),
)
LOADERS = [
    lambda stream: figures.load_figures(stream),
    lambda stream: postcodes.load_postcodes(stream, everywhere=True),
    groupings.import_groupings,
    boundaries.import_boundary_file,
]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _file(header: str, rows: list[list[str]]) -> io.BytesIO:
    lines = header.splitlines(keepends=True)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return io.BytesIO(("".join(lines[:6]) + out.getvalue()).encode("utf-8", "surrogatepass"))


def _answers(loader, stream) -> None:
    try:
        loader(stream)
    except ImportFailed as failure:
        assert failure.problems and all(str(p) for p in failure.problems)
    db.session.rollback()


@SETTINGS
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(st.lists(HOSTILE, max_size=8), max_size=6),
    loader=st.sampled_from(LOADERS),
)
def test_hostile_rows_under_published_headers_get_an_answer(app, header, rows, loader):
    if not db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["areas"])):
        load_lsoas()
    _answers(loader, _file(header, rows))


@SETTINGS
@given(content=st.binary(max_size=300), loader=st.sampled_from(LOADERS))
def test_any_bytes_get_an_answer(app, content, loader):
    _answers(loader, io.BytesIO(content))


@SETTINGS
@given(properties=st.dictionaries(st.sampled_from(["LSOA21CD", "LSOA21NM", "WD24CD"]), HOSTILE))
def test_hostile_feature_properties_get_an_answer(app, properties):
    ring = [[-0.8, 52.4], [-0.79, 52.4], [-0.79, 52.41], [-0.8, 52.4]]
    geometry = {"type": "Polygon", "coordinates": [ring]}
    data = collection(feature(properties, geometry))
    _answers(boundaries.import_boundary_file, io.BytesIO(json.dumps(data).encode()))
