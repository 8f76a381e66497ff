"""Each worker's index of the directory (`directory_index.py`) follows every kind of change the
gap table can see, by the services that changed alone: after each, the table equals the
straight computation, without reading the whole directory again. The database's notes
(migration 0088's triggers) are what it follows: a change none of them notes would leave the
index behind, and these tests fail."""

import time

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from engage.asset_map import directory_index, gaps
from engage.asset_map.gaps import gap_table
from engage.asset_map.gaps_straight import straight_gap_table
from engage.asset_map.locations import assign_areas
from engage.asset_map.models import (
    Location,
    Service,
    directory_changes,
    location_areas,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from engage.extensions import db
from engage.geo.models import Area
from tests.asset_map.test_gaps_fast import NOW, _area, _directory, _same
from tests.database_urls import is_postgres
from tests.factories import create_service, create_term

CHOICES = [
    ("lsoa", "", "all"),
    ("ward", "sport", "under_18"),
    ("lap", "youth-activities", "18_to_24"),
    ("lsoa", "sport", "18_to_24"),
    ("ward", "", "under_18"),
]


def _agree(step: str = "") -> None:
    for choice in CHOICES:
        try:
            _same(gap_table(*choice, NOW), straight_gap_table(*choice, NOW))
        except AssertionError as failure:
            raise AssertionError(f"after {step or 'the start'}, {choice}: {failure}") from None


def _service(name: str) -> Service:
    return db.session.query(Service).filter_by(name=name).one()


def _index(app) -> directory_index.DirectoryIndex:
    return app.extensions[gaps.INDEX]


def _moved(name: str, lat: float, lon: float) -> None:
    place = _service(name).locations[0]
    place.latitude, place.longitude = lat, lon
    assign_areas([place])


def _offered_at(name: str, lat: float, lon: float) -> None:
    service = _service(name)
    service.locations.append(Location(name="Second venue", latitude=lat, longitude=lon))
    assign_areas(service.locations)


# fmt: off
STEPS = [
    ("a new service", lambda: create_service("Late club", lat=52.44, lon=-0.72)),
    ("a service closed", lambda: setattr(_service("Club"), "status", "inactive")),
    ("a service's ages", lambda: (setattr(_service("Gym"), "minimum_age", None),
                                  setattr(_service("Gym"), "maximum_age", 17))),
    ("its categories", lambda: setattr(_service("Late club"), "taxonomy_terms",
                                       [create_term("sport", "Sport")])),
    ("a place's coordinates alone", lambda: db.session.execute(
        update(Location).where(Location.id == _service("Kickabout").locations[0].id)
        .values(latitude=52.36, longitude=-0.70))),
    ("a place moved to another area", lambda: _moved("Late club", 52.37, -0.85)),
    ("a service offered at a second place", lambda: _offered_at("Outreach", 52.43, -0.75)),
    ("a service no longer offered at a place", lambda: setattr(
        _service("Kickabout"), "locations", [])),
    ("the areas a service covers", lambda: setattr(
        _service("Outreach"), "service_areas", [_area("T-W1")])),
    # one table's rows at a time, by single statements, so each of its notes is needed
    ("a service with no place or category yet", lambda: db.session.add(Service(
        name="Newcomer", organisation=_service("Club").organisation, description=""))),
    ("a category linked", lambda: db.session.execute(insert(service_taxonomy).values(
        service_id=_service("Gym").id, taxonomy_term_id="youth-activities"))),
    ("a category unlinked", lambda: db.session.execute(delete(service_taxonomy).where(
        service_taxonomy.c.service_id == _service("Gym").id,
        service_taxonomy.c.taxonomy_term_id == "sport"))),
    ("a place linked", lambda: db.session.execute(insert(service_at_location).values(
        service_id=_service("Newcomer").id, location_id=_service("Club").locations[0].id))),
    ("an area covered", lambda: db.session.execute(insert(service_areas).values(
        service_id=_service("Newcomer").id, area_id=_area("T-W2").id))),
    ("an area no longer covered", lambda: db.session.execute(delete(service_areas).where(
        service_areas.c.service_id == _service("Outreach").id))),
    ("a place found in another area too", lambda: db.session.execute(
        insert(location_areas).values(location_id=_service("Club").locations[0].id,
                                      area_id=_area("T-L4").id))),
    ("a place no longer in an area", lambda: db.session.execute(delete(location_areas).where(
        location_areas.c.location_id == _service("Club").locations[0].id,
        location_areas.c.area_id == _area("T-L4").id))),
    ("a category link rewritten in place", lambda: db.session.execute(
        update(service_taxonomy).where(service_taxonomy.c.service_id == _service("Gym").id)
        .values(taxonomy_term_id="youth-activities"))),
    ("a place link rewritten in place", lambda: db.session.execute(
        update(service_at_location)
        .where(service_at_location.c.service_id == _service("Club").id)
        .values(service_id=_service("Outreach").id))),
    ("a covered area rewritten in place", lambda: db.session.execute(
        update(service_areas).where(service_areas.c.service_id == _service("Newcomer").id)
        .values(area_id=_area("T-L4").id))),
    ("a place's area rewritten in place", lambda: db.session.execute(
        update(location_areas).where(location_areas.c.area_id == _area("T-L2").id)
        .values(area_id=_area("T-L3").id))),
    ("a place deleted by one statement", lambda: db.session.execute(
        delete(Location).where(Location.id == _service("Late club").locations[0].id))),
    ("a service deleted through the ORM", lambda: db.session.delete(_service("Gym"))),
    ("a service deleted by one statement", lambda: db.session.execute(
        delete(Service).where(Service.name == "Nowhere"))),
    ("another service with nothing linked", lambda: db.session.add(Service(
        name="Loner", organisation=_service("Club").organisation, description=""))),
    ("a service with nothing linked deleted", lambda: db.session.execute(
        delete(Service).where(Service.name == "Loner"))),
    ("every service's status at once", lambda: db.session.execute(
        update(Service).values(status="active"))),
    ("an area's decile", lambda: setattr(_area("T-L3"), "imd_decile", 1)),
    ("an area's young people", lambda: setattr(_area("T-L2"), "population_under_25", 90)),
    ("an area added", lambda: db.session.add(Area(
        code="T-L9", name="Test 009A", level="lsoa", parent=_area("T-W2"), population=500,
        population_under_25=100, imd_decile=2, geometry=_area("T-L4").geometry))),
    ("an area removed", lambda: db.session.execute(delete(Area).where(Area.code == "T-L9"))),
]
# fmt: on


def test_the_index_follows_every_kind_of_change_by_the_services_changed(app, db_session):
    _directory()
    _agree()
    index = _index(app)
    for step, change in STEPS:
        generation = index.generation
        change()
        db.session.commit()
        _agree(step)
        assert index.generation > generation, f"{step} was not noticed"
    assert index.rebuilds == 1, "the directory was read whole again"


def test_a_change_the_table_cannot_see_keeps_its_figures(app, db_session):
    _directory()
    _agree()
    index = _index(app)
    generation = index.generation
    club = _service("Club")
    club.description = "Now with table tennis"
    club.locations[0].name = "The new hall"
    club.organisation.name = "Club trust"
    db.session.commit()
    _agree("a change of words")
    assert index.generation == generation


def test_a_bulk_change_reads_the_whole_directory_again(app, db_session, monkeypatch):
    _directory()
    _agree()
    monkeypatch.setattr(directory_index, "REBUILD_ABOVE", 2)
    db.session.execute(update(Service).values(minimum_age=12))  # five services at once
    db.session.commit()
    _agree("a bulk change")
    assert _index(app).rebuilds == 2


def test_a_look_that_fails_half_way_reads_the_whole_directory_next_time(app, db_session,
                                                                        monkeypatch):  # fmt: skip
    _directory()
    _agree()
    index = _index(app)

    def lost(_connection, _ids):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(index, "_read", lost)
    create_service("Read half way", lat=52.41, lon=-0.88)
    with pytest.raises(ConnectionError):
        gap_table("lsoa", "", "all", NOW)
    db.session.rollback()
    monkeypatch.undo()
    _agree("a failed look")
    assert index.rebuilds == 2


def test_changes_after_the_notes_were_emptied_are_still_seen(app, db_session):
    _directory()
    _agree()
    db.session.execute(delete(directory_changes))
    db.session.commit()
    create_service("After the emptying", lat=52.41, lon=-0.88)
    _agree("the notes emptied")


def test_many_services_changed_at_once_are_read_in_several_queries(app, db_session, monkeypatch):
    monkeypatch.setattr(directory_index, "IDS_PER_QUERY", 2)
    _directory()
    _agree()
    db.session.execute(update(Service).values(maximum_age=20))
    db.session.commit()
    _agree("five services changed, read two at a time")
    assert _index(app).rebuilds == 1


@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
def test_a_change_committed_after_a_later_one_is_still_seen(app, db_session):
    """Transactions commit in any order: the index must not take the latest change it saw as
    the line below which everything has been seen."""
    _directory()
    _agree()
    db.session.commit()
    club, gym = _service("Club").id, _service("Gym").id
    db.session.commit()
    with db.engine.connect() as earlier, db.engine.connect() as later:
        earlier.execute(update(Service).where(Service.id == club).values(status="inactive"))
        later.execute(update(Service).where(Service.id == gym).values(maximum_age=17))
        later.commit()  # the later transaction commits first
        _agree("the later transaction committed")
        db.session.commit()
        earlier.commit()
    _agree("the earlier transaction committed")
    assert _service("Club").status == "inactive"


def _link(connection, service_id: int, table, **values) -> None:
    connection.execute(insert(table).values(service_id=service_id, **values))


@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
def test_writers_never_wait_for_each_others_notes(app, db_session):
    """Two transactions (an import and a harvest) each change the links of the same two
    services, in opposite orders. The links themselves never make them wait for each other;
    nor may the notes (with a note per service updated in place, the second writer waited
    for the first's, and here they deadlocked)."""
    _directory()
    _agree()
    club, gym = _service("Club").id, _service("Gym").id
    db.session.commit()
    with db.engine.connect() as first, db.engine.connect() as second:
        for connection in (first, second):  # a wait fails, rather than hangs one thread
            connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")  # this transaction's
        _link(first, club, service_taxonomy, taxonomy_term_id="sport")
        _link(second, gym, service_areas, area_id=_area("T-W1").id)
        _link(first, gym, service_taxonomy, taxonomy_term_id="youth-activities")
        _link(second, club, service_areas, area_id=_area("T-W2").id)
        second.commit()
        first.commit()
    _agree("two writers in opposite orders")
    assert _index(app).rebuilds == 1


@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
def test_a_note_committed_after_a_later_note_of_the_same_service_is_still_seen(app, db_session):
    """A service's notes are told apart by their numbers, not by the greatest alone: a
    transaction that began first may commit its note of a service after a later one did."""
    _directory()
    _agree()
    _noted_out_of_order(_service("Club").id)
    _agree("the earlier note committed")


def _noted_out_of_order(service_id: int) -> None:
    """Two transactions note the same service; the one that began first commits last, after
    the index has looked."""
    db.session.commit()
    with db.engine.connect() as earlier, db.engine.connect() as later:
        for connection in (earlier, later):
            connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")  # this transaction's
        earlier.exec_driver_sql("SELECT pg_current_xact_id()")  # its number is taken first
        later.exec_driver_sql("SELECT pg_current_xact_id()")
        _link(earlier, service_id, service_taxonomy, taxonomy_term_id="sport")
        _link(later, service_id, service_areas, area_id=_area("T-W1").id)
        later.commit()
        _agree("the later note committed")
        db.session.commit()
        earlier.commit()


def _every_note_finished() -> None:
    """On PostgreSQL a tidying removes only notes below the oldest transaction still running,
    anywhere on the server (other test processes share it): wait until that is past every note,
    so what the tidying removes is known. Waits only while another transaction is open."""
    db.session.commit()
    if not is_postgres():
        return
    newest = db.session.scalar(select(func.max(directory_changes.c.changed)))
    horizon = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
    deadline = time.monotonic() + 30
    while db.session.scalar(horizon) <= newest:
        db.session.commit()
        assert time.monotonic() < deadline, "a transaction on the server stayed open for 30 s"
        time.sleep(0.02)
    db.session.commit()


def _notes() -> list[tuple[int, int]]:
    return sorted(db.session.execute(select(directory_changes)).tuples())


def test_tidying_the_notes_keeps_each_services_newest_and_the_index_right(app, db_session,
                                                                          runner):  # fmt: skip
    _directory()
    _agree()
    index = _index(app)
    for _step, change in STEPS[:9]:
        change()
        db.session.commit()
    before = _notes()
    newest = {}
    for sid, number in before:
        newest[sid] = max(number, newest.get(sid, number))
    assert len(before) > len(newest), "no service was noted twice: nothing to tidy"
    _every_note_finished()
    result = runner.invoke(args=["assets", "tidy-notes"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{len(before) - len(newest)} redundant change notes removed\n"
    db.session.commit()
    assert [n for n in _notes() if n[0] != directory_index.TIDIED] == sorted(newest.items())
    _agree("the notes tidied")
    # On PostgreSQL a tidying makes every index read the whole directory once more (below).
    assert index.rebuilds == (2 if is_postgres() else 1)
    rebuilds = index.rebuilds
    for step, change in STEPS[9:]:
        generation = index.generation
        change()
        db.session.commit()
        _agree(f"{step}, after tidying")
        assert index.generation > generation, f"{step} was not noticed after tidying"
    assert index.rebuilds == rebuilds


@pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL")
def test_a_note_tidied_away_before_the_index_saw_it_is_not_missed(app, db_session):
    """The older of a service's two notes may commit after an index saw the newer: tidied away
    then, the index never finds it. The tidying's own note makes it read everything again."""
    _directory()
    _agree()
    _noted_out_of_order(_service("Club").id)
    _every_note_finished()
    with db.engine.begin() as tidying:
        assert directory_index.tidy_notes(tidying) >= 1  # the earlier note among them
    _agree("the earlier note committed, then tidied away")


def test_places_stay_in_order_of_latitude_as_rows_come_and_go():
    """The nearest service is searched within a band of latitude, so the places must come in
    its order: those read at a first look are kept in order, those added since are merged in,
    and squeezing out the dead puts every row in order again."""
    import numpy as np

    rng = np.random.default_rng(7)
    rows = directory_index._Rows(float, float, sorted_by=0)
    matching = rng.random(7_000) < 0.7

    def add(first: int, k: int) -> None:
        slots = np.arange(first, first + k)
        rows.add(slots, rng.uniform(52.0, 52.7, k), slots.astype(float))

    def agree() -> None:
        chosen = rows.chosen(matching)
        latitude, slot = rows.in_order(chosen)
        expected = sorted(zip(rows.column(0)[chosen].tolist(), rows.column(1)[chosen].tolist(),
                              strict=True))  # fmt: skip
        assert list(zip(latitude.tolist(), slot.tolist(), strict=True)) == expected

    add(0, 6_000)
    rows.sort()
    add(6_000, 50)  # since the first look
    agree()
    rows.drop(np.arange(0, 4_000))  # more than half dead: squeezed out, and in order again
    assert rows.sorted_n == rows.n == 2_050
    add(6_100, 30)
    agree()


def test_the_officers_map_is_drawn_again_only_when_its_figures_change(client, auth, db_session,
                                                                        monkeypatch):  # fmt: skip
    """Drawing the shaded map is most of the page: a change the table cannot see (a service's
    words) keeps the map drawn; one it can see (a service closed) draws it again."""
    from engage.accounts.roles import Role
    from engage.asset_map import manage_views
    from tests.factories import create_user

    _directory()
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    drawn = []
    real = manage_views.choropleth_map
    monkeypatch.setattr(manage_views, "choropleth_map",
                        lambda *args: drawn.append(1) or real(*args))  # fmt: skip

    def page() -> str:
        response = client.get("/asset-map/manage/gaps?level=lsoa")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    page()
    assert len(drawn) == 1
    _service("Club").description = "Now with table tennis"
    db.session.commit()
    page()
    assert len(drawn) == 1, "the same figures were drawn again"
    _service("Club").status = "inactive"
    db.session.commit()
    assert "Test 001A" in page()
    assert len(drawn) == 2
