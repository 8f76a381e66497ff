"""Harvesting a neighbouring directory: a second Engage, with its own database, serves its
Open Referral UK feed on a loopback port; we pull it page by page, keep where each record
came from, update rather than duplicate, ask only for what changed, and list likely
duplicates of our own listings for an officer to merge."""

import threading
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, update
from werkzeug.serving import make_server

from engage import create_app
from engage.accounts.roles import Role
from engage.asset_map import duplicates, exchange, harvest
from engage.asset_map.feeds import add_feed
from engage.asset_map.models import (
    DuplicateCandidate,
    FeedSource,
    RemoteRecord,
    Service,
)
from engage.database import utcnow
from engage.extensions import db
from engage.jobs.logic import JobFailed
from tests.asset_map.oruk import example
from tests.conftest import config_with, csrf_token, post_form
from tests.factories import create_geography, create_service, create_user
from tests.workers import wait_for


@pytest.fixture(scope="module")
def neighbour(tmp_path_factory):
    """Another directory: its own app and SQLite database, serving on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("neighbour")
    other = create_app(
        config_with(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'neighbour.db'}",
            JOBS_SQLITE_PATH=str(folder / "jobs.db"),
        )
    )
    with other.app_context():
        upgrade()
        exchange.import_file("services.json", example("service-list.json"))
        db.session.remove()
    server = make_server("127.0.0.1", 0, other, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield other, f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()


def _touch_in(other, name: str | None, **values) -> None:
    with other.app_context():
        query = update(Service) if name is None else update(Service).where(Service.name == name)
        db.session.execute(query.values(**values))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def source(app, db_session, neighbour):
    create_geography()
    _other, url = neighbour
    return add_feed(None, "Harborough directory", url)


def _count(db_session) -> int:
    return db_session.scalar(select(func.count(Service.id)))


def test_a_feed_is_harvested_with_where_each_record_came_from(source, db_session, monkeypatch):
    monkeypatch.setattr(harvest, "PER_PAGE", 2)  # three services: two pages
    report = harvest.harvest(source)
    assert (report.pages, report.listed, report.created, report.updated) == (2, 3, 3, 0)
    remote = db_session.scalars(select(RemoteRecord).where(RemoteRecord.kind == "service")).all()
    assert len(remote) == 3 and all(r.source_id == source.id for r in remote)
    service = db_session.get(Service, remote[0].local_id)
    assert service.assured_by == "Harborough directory"
    assert service.oruk_id != remote[0].remote_id  # our own uuid; theirs is kept as provenance
    assert db_session.get(FeedSource, source.id).last_harvested_at is not None


def test_a_second_harvest_asks_only_for_changes_and_updates(source, db_session, neighbour):
    other, _url = neighbour
    _touch_in(other, None, updated_at=utcnow() - timedelta(days=1))
    harvest.harvest(source)
    db_session.execute(update(FeedSource).values(last_harvested_at=utcnow() - timedelta(minutes=5)))
    db_session.commit()
    _touch_in(other, "Junior Boxing", description="Now on Saturdays too.", updated_at=utcnow())
    report = harvest.harvest(source)
    assert (report.listed, report.created, report.updated) == (1, 0, 1)
    assert _count(db_session) == 3
    boxing = db_session.scalar(select(Service).where(Service.name == "Junior Boxing"))
    assert boxing.description == "Now on Saturdays too."


def test_likely_duplicates_are_listed_and_merged(source, db_session, client, auth, neighbour):
    ours = create_service("Junior Boxing", lat=52.4551, lon=-1.1982, categories=("sport",))
    report = harvest.harvest(source)
    assert report.duplicates == 1
    candidate = db_session.scalar(select(DuplicateCandidate))
    assert candidate.local_id == ours.id and "name 100%" in candidate.reasons
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    auth.sign_in_as(officer)
    page = client.get("/asset-map/manage/duplicates").get_data(as_text=True)
    assert "Junior Boxing" in page and "Merge into ours" in page
    duplicates.merge(officer, candidate)
    assert _count(db_session) == 3  # their copy went; our listing stayed
    db_session.execute(update(FeedSource).values(last_harvested_at=None))
    db_session.commit()
    again = harvest.harvest(source)
    assert (again.created, again.duplicates) == (0, 0)
    assert db_session.get(Service, ours.id).description == "About Junior Boxing"
    assert _count(db_session) == 3


def test_an_unreachable_or_strange_feed_fails_the_job_with_a_reason(app, db_session):
    dead = add_feed(None, "Nowhere", "http://127.0.0.1:9/api/v1")
    with pytest.raises(JobFailed) as failure:
        harvest.harvest(dead)
    assert "could not be reached" in failure.value.message
    assert db_session.get(FeedSource, dead.id).last_harvested_at is None


def test_officers_run_a_harvest_from_the_feeds_page(source, client, auth, db_session, worker):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    response = post_form(
        client, "/asset-map/manage/feeds", {"name": "Again", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 400 and "https://" in response.get_data(as_text=True)
    token = csrf_token(client, "/asset-map/manage/feeds")
    response = client.post(
        f"/asset-map/manage/feeds/{source.id}/harvest", data={"csrf_token": token}
    )
    job = wait_for(int(response.headers["Location"].rsplit("/", 1)[1]))
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Harvested" in page and "3 new services" in page


def test_the_harvest_command_takes_a_url_or_every_feed(runner, db_session, neighbour):
    create_geography()
    _other, url = neighbour
    result = runner.invoke(args=["assets", "harvest", url])
    assert result.exit_code == 0, result.output
    assert "3 listed, 3 created" in result.output
    again = runner.invoke(args=["assets", "harvest", "--all"])
    assert again.exit_code == 0 and "0 created" in again.output
    assert runner.invoke(args=["assets", "harvest"]).exit_code != 0
    assert runner.invoke(args=["assets", "harvest", "http://127.0.0.1:9/api/v1"]).exit_code == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/api/v1",
        "http://169.254.169.254/latest/meta-data",  # a cloud's metadata service
        "http://10.1.2.3/api/v1",
        "http://[::1]/api/v1",
        "http://localhost/api/v1",
    ],
)
def test_a_feed_inside_our_own_network_is_refused_in_production(app, db_session, url):
    app.config["HARVEST_PRIVATE_ADDRESSES"] = False
    try:
        feed = add_feed(None, "Inside", url)
        with pytest.raises(JobFailed) as failure:
            harvest.harvest(feed)
    finally:
        app.config["HARVEST_PRIVATE_ADDRESSES"] = True
    assert "inside our own network" in failure.value.message


def test_a_public_feed_may_not_redirect_inside_our_own_network(app):
    from urllib.request import Request

    app.config["HARVEST_PRIVATE_ADDRESSES"] = False
    try:
        with pytest.raises(harvest.FeedError, match="inside our own network"):
            harvest._CheckedRedirects().redirect_request(
                Request("http://93.184.215.14/api/v1"), None, 302, "Found", {},
                "http://127.0.0.1:5000/admin",
            )  # fmt: skip
    finally:
        app.config["HARVEST_PRIVATE_ADDRESSES"] = True
