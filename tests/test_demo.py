"""`flask demo load`: the demo areas and one user per role, idempotently, never in production."""

from sqlalchemy import func, select

from engage.accounts.models import User
from engage.accounts.roles import ALL_ROLES
from engage.geo.models import Area
from tests.conftest import post_form


def _counts(db_session):
    return (
        db_session.scalar(select(func.count(Area.id))),
        db_session.scalar(select(func.count(User.id))),
    )


def test_demo_load_creates_areas_and_a_user_per_role(runner, db_session):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    roles = set(db_session.scalars(select(User.role)))
    assert roles == {role.value for role in ALL_ROLES}
    levels = set(db_session.scalars(select(Area.level)))
    assert levels == {"lap", "ward", "lsoa"}
    assert "officer@demo.example.org" in result.output


def test_running_demo_load_twice_changes_nothing(runner, db_session):
    runner.invoke(args=["demo", "load"])
    before = _counts(db_session)
    hashes = dict(db_session.execute(select(User.email, User.password_hash)).all())
    result = runner.invoke(args=["demo", "load"])
    assert "0 created, 0 changed" in result.output
    assert "0 created or reset" in result.output
    assert _counts(db_session) == before
    assert dict(db_session.execute(select(User.email, User.password_hash)).all()) == hashes


def test_demo_areas_nest_lsoa_in_ward_in_lap(runner, db_session):
    runner.invoke(args=["demo", "load"])
    lsoa = db_session.scalar(select(Area).where(Area.level == "lsoa"))
    assert lsoa.parent.level == "ward" and lsoa.parent.parent.level == "lap"
    assert lsoa.is_demo


def test_every_demo_user_can_sign_in_with_the_printed_password(runner, client):
    output = runner.invoke(args=["demo", "load"]).output
    rows = [line.split() for line in output.splitlines() if "@demo.example.org" in line]
    assert {role for role, _email, _password in rows} == {role.value for role in ALL_ROLES}
    officers = [row for row in rows if row[0] == "engagement_officer"]
    assert len(officers) == 2  # so a newcomer can see four eyes work
    for _role, email, password in rows:
        response = post_form(client, "/sign-in", {"email": email, "password": password})
        assert response.headers["Location"] == "/dashboard"
        client.delete_cookie("session")


def test_demo_load_is_refused_in_production(runner, app):
    app.config["ENV_NAME"] = "production"
    try:
        result = runner.invoke(args=["demo", "load"])
    finally:
        app.config["ENV_NAME"] = "test"
    assert result.exit_code != 0
    assert "never loaded in production" in result.output


def test_demo_load_with_services_adds_a_synthetic_directory_that_is_served(
    runner, client, db_session
):
    from engage.asset_map.models import Location, Service
    from tests.asset_map.oruk import nulls, problems

    runner.invoke(args=["demo", "load"])
    before = db_session.scalar(select(func.count(Service.id)))
    locations = db_session.scalar(select(func.count(Location.id)))
    result = runner.invoke(args=["demo", "load", "--services", "40"])
    assert result.exit_code == 0, result.output
    assert "40 services" in result.output
    synthetic = list(
        db_session.scalars(select(Service).where(Service.assured_by == "Synthetic directory"))
    )
    assert len(synthetic) == 40
    assert db_session.scalar(select(func.count(Service.id))) == before + 40
    assert all(service.is_demo and service.status == "active" for service in synthetic)
    located = db_session.scalar(select(func.count(Location.id))) - locations
    assert located == 44  # one each, and a second for a tenth of them

    one = synthetic[7]
    town = one.name.rsplit("– ", 1)[1]
    page = client.get(f"/find-support?q={town}").get_data(as_text=True)
    shown = [s for s in synthetic if s.name.replace("'", "&#39;") in page]
    assert shown
    own_page = client.get(f"/services/{one.id}").get_data(as_text=True)
    assert one.name.replace("'", "&#39;") in own_page
    listing = client.get("/api/v1/services?per_page=2").json
    assert listing["total_items"] == before + 40
    served = client.get(f"/api/v1/services/{one.oruk_id}")
    assert served.status_code == 200
    assert problems("service", served.json) == [] and nulls(served.json) == []
    assert served.json["name"] == one.name


def test_demo_load_services_must_be_a_whole_number(runner):
    result = runner.invoke(args=["demo", "load", "--services", "-3"])
    assert result.exit_code != 0 and "-3" in result.output
