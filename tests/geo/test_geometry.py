"""Point-in-area lookups agree with a plain test of every polygon; coordinates and
boundaries people give us are checked."""

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from engage.geo.geometry import (
    AreaIndex,
    AreaShape,
    GeometryError,
    coordinate_problem,
    haversine_m,
    repaired_geometry,
)

GRID = [
    AreaShape(
        i * 10 + j,
        f"C{i}{j}",
        "lsoa",
        box(-1 + i * 0.1, 52 + j * 0.1, -0.9 + i * 0.1, 52.1 + j * 0.1),
    )
    for i in range(5)
    for j in range(5)
]
INDEX = AreaIndex(GRID)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.floats(-1.05, -0.45), st.floats(51.95, 52.55)), min_size=1, max_size=30)
)
def test_vectorised_lookup_matches_testing_every_polygon(points):
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    found = INDEX.assign(lons, lats)
    for (lon, lat), shapes in zip(points, found, strict=True):
        expected = {s.code for s in GRID if s.geometry.intersects(shapely.Point(lon, lat))}
        assert {s.code for s in shapes} == expected
        assert {s.code for s in INDEX.areas_at(lon, lat)} == expected


def test_a_point_outside_every_area_is_in_none():
    assert INDEX.areas_at(-3.0, 50.0) == []


def test_distances_on_the_earth():
    rothwell_to_kettering = haversine_m(52.4224, -0.8004, 52.3980, -0.7250)
    assert 5_500 < rothwell_to_kettering < 5_800
    assert haversine_m(52.0, -1.0, 52.0, -1.0) == 0


def test_coordinate_problems_are_named():
    assert coordinate_problem(52.42, -0.80) is None
    assert coordinate_problem(-0.80, 52.42) == "swapped"
    assert coordinate_problem(48.85, 2.35) == "outside_uk"
    assert coordinate_problem(None, -0.8) == "missing"
    assert coordinate_problem(float("nan"), -0.8) == "not_finite"


def test_a_self_intersecting_boundary_is_repaired():
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    repaired = repaired_geometry(bowtie)
    assert repaired.is_valid and repaired.area > 0


def test_empty_and_non_polygon_boundaries_are_refused():
    for bad, code in [
        ({"type": "Polygon", "coordinates": []}, "empty"),
        ({"type": "Point", "coordinates": [0, 0]}, "not_polygon"),
        ({"type": "Nonsense"}, "not_geojson"),
    ]:
        try:
            repaired_geometry(bad)
        except GeometryError as error:
            assert error.code == code
        else:
            raise AssertionError(f"{bad} was accepted")
