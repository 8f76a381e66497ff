"""The map's data at any size: every service as a marker when few, else grid cells counted on
the server for the zoom shown, each service once (at its place nearest the search), the same
services the list counts; a view narrows it; a hostile view cannot make it huge."""

import random
from datetime import datetime

import pytest
from sqlalchemy import select

from engage.asset_map.logic import SupportSearch, where_of
from engage.asset_map.markers import View, fitting_zoom, map_markers
from engage.asset_map.models import Location
from engage.asset_map.search import Group, SearchFilters, find_hits, load_page
from engage.extensions import db
from engage.geo.models import Area
from tests.factories import create_geography, create_service

MONDAY_7PM = datetime(2026, 11, 23, 19, 0)
NO_FILTERS = SearchFilters()


@pytest.fixture
def directory(db_session):
    create_geography()
    rng = random.Random(3)
    for n in range(40):
        lat, lon = 52.4224 + rng.uniform(-0.1, 0.1), -0.8004 + rng.uniform(-0.15, 0.15)
        service = create_service(f"Club {n:02d}", lat=lat, lon=lon, free=n % 2 == 0)
        if n % 10 == 0:  # a second place: still one service on the map
            service.locations.append(Location(name="Other", latitude=lat + 0.01, longitude=lon))
            db.session.commit()
    create_service("Helpline", lat=None, virtual=True)
    return list(db_session.scalars(select(Area)))


def _listed_places(where, filters=NO_FILTERS) -> set[int]:
    hits = find_hits(filters, where, MONDAY_7PM, MONDAY_7PM.date())
    return {h.service_id for h in hits if h.group is Group.VISIT}


def test_few_services_each_come_as_a_marker_at_their_nearest_place(directory):
    where = where_of(SupportSearch("Rothwell"))
    markers = map_markers(NO_FILTERS, where, MONDAY_7PM, limit=300)
    assert markers.zoom is None and markers.cells == []
    assert {row[0] for row in markers.services} == _listed_places(where)
    hits = load_page(find_hits(NO_FILTERS, where, MONDAY_7PM, MONDAY_7PM.date()), 1, 100).hits
    nearest = {h.service_id: (round(h.lat, 5), round(h.lon, 5)) for h in hits if h.lat}
    assert all(nearest[sid] == (lat, lon) for sid, lat, lon, _name in markers.services)
    west, south, east, north = markers.extent
    assert all(south <= lat <= north and west <= lon <= east for _, lat, lon, _ in markers.services)


def test_many_services_come_as_counted_cells_that_add_up_to_the_list(directory):
    where = where_of(SupportSearch("Rothwell"))
    markers = map_markers(NO_FILTERS, where, MONDAY_7PM, limit=5)
    assert markers.zoom == fitting_zoom(markers.extent)
    assert markers.cells, "with 40 services and a limit of 5 some share a cell"
    counted = sum(n for _lat, _lon, n in markers.cells) + len(markers.services)
    assert counted == markers.located == len(_listed_places(where))
    assert all(n > 1 for _lat, _lon, n in markers.cells)
    free = map_markers(SearchFilters(free_only=True), where, MONDAY_7PM, limit=5)
    assert free.located == len(_listed_places(where, SearchFilters(free_only=True))) == 20


def test_zooming_in_splits_cells_until_every_service_is_its_own_marker(directory):
    where = where_of(SupportSearch("Rothwell"))
    box = (-0.96, 52.32, -0.64, 52.53)
    counts = []
    for zoom in (9, 12, 15, 18):
        markers = map_markers(NO_FILTERS, where, MONDAY_7PM, View(box, zoom), limit=5)
        assert sum(n for *_, n in markers.cells) + len(markers.services) == markers.located
        counts.append(len(markers.cells) + len(markers.services))
    assert counts == sorted(counts) and counts[0] < counts[-1]
    close = map_markers(NO_FILTERS, where, MONDAY_7PM, View(box, 18), limit=5)
    assert close.cells == [] or max(n for *_, n in close.cells) <= 2


def test_a_view_shows_only_what_is_in_it(directory):
    where = where_of(SupportSearch("Rothwell"))
    west_half = View((-0.96, 52.32, -0.8004, 52.53), 12)
    markers = map_markers(NO_FILTERS, where, MONDAY_7PM, west_half, limit=300)
    assert markers.services and all(lon <= -0.8004 for _, _lat, lon, _ in markers.services)
    assert markers.located < len(_listed_places(where))


def test_a_huge_view_at_the_closest_zoom_is_sent_coarser(directory, monkeypatch):
    monkeypatch.setattr("engage.asset_map.markers.MAX_CELLS", 4)
    where = where_of(SupportSearch(""))
    markers = map_markers(NO_FILTERS, where, MONDAY_7PM, View((-180, -85, 180, 85), 18), 1)
    assert len(markers.cells) + len(markers.services) <= 4
    assert markers.zoom < 18


def test_the_map_data_over_http_follows_the_view_and_the_limit(app, client, directory):
    app.config["MAP_MARKER_LIMIT"] = 5
    data = client.get("/find-support/results.json?q=Rothwell&fit=800,600").json
    assert data["zoom"] == fitting_zoom(tuple(data["extent"]), (800, 600))
    assert sum(n for *_, n in data["cells"]) + len(data["services"]) == data["located"] == 40
    view = "-0.96,52.32,-0.64,52.53"
    closer = client.get(
        f"/find-support/results.json?q=Rothwell&view={view}&zoom={data['zoom'] + 3}"
    ).json
    assert closer["zoom"] == data["zoom"] + 3 and closer["extent"] is None
    assert len(closer["cells"]) + len(closer["services"]) > len(data["cells"]) + len(
        data["services"]
    )
