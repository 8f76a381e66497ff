"""Public pages are kept rendered for anonymous visitors, and never outlive the data under them:
a write committed anywhere (this worker, another worker, a CLI) shows on the next request."""

import re

from flask import flash
from sqlalchemy import select

from engage import create_app, page_cache
from engage.accounts.roles import Role
from engage.asset_map.models import Service
from engage.extensions import db
from tests.conftest import _fresh_g, config_with, signed_in
from tests.factories import create_user

SERVICES = "/api/v1/services"


def _names(response) -> list[str]:
    return [item["name"] for item in response.get_json()["contents"]]


def test_a_second_anonymous_visit_is_served_from_the_cache(client):
    from tests.factories import create_service

    create_service("Rothwell youth club")
    first, second = client.get(SERVICES), client.get(SERVICES)
    assert first.headers["X-Page-Cache"] == "miss"
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.get_json() == first.get_json()
    assert second.headers["Access-Control-Allow-Origin"] == "*"  # the blueprint's headers too


def test_a_change_through_the_orm_shows_on_the_next_request(client):
    from tests.factories import create_service

    service = create_service("Rothwell youth club")
    assert _names(client.get(SERVICES)) == ["Rothwell youth club"]
    service.name = "Rothwell youth club (renamed)"
    db.session.commit()
    assert _names(client.get(SERVICES)) == ["Rothwell youth club (renamed)"]


def test_a_bulk_update_and_a_delete_show_on_the_next_request(client):
    from sqlalchemy import delete, update

    from tests.factories import create_service

    create_service("Rothwell youth club")
    client.get(SERVICES)
    db.session.execute(update(Service).values(name="Bulk renamed"))
    db.session.commit()
    assert _names(client.get(SERVICES)) == ["Bulk renamed"]
    db.session.execute(delete(Service))
    db.session.commit()
    assert _names(client.get(SERVICES)) == []


def test_a_write_by_another_worker_shows_here_at_once(app, client):
    """Two app instances on one database, as two gunicorn workers are: the versions live in
    the database, so the other worker's commit reaches this one's kept pages."""
    from tests.factories import create_service

    create_service("Rothwell youth club")
    assert client.get(SERVICES).headers["X-Page-Cache"] == "miss"
    assert client.get(SERVICES).headers["X-Page-Cache"] == "hit"
    other = create_app(config_with(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]))
    with other.app_context():
        service = db.session.scalars(select(Service)).one()
        service.name = "Renamed by the other worker"
        db.session.commit()
        db.session.remove()
    response = client.get(SERVICES)
    assert response.headers["X-Page-Cache"] == "miss"
    assert _names(response) == ["Renamed by the other worker"]


def test_a_rolled_back_write_keeps_the_pages(client):
    from tests.factories import create_service

    service = create_service("Rothwell youth club")
    client.get(SERVICES)
    service.name = "Never saved"
    db.session.flush()
    db.session.rollback()
    response = client.get(SERVICES)
    assert response.headers["X-Page-Cache"] == "hit"
    assert _names(response) == ["Rothwell youth club"]


def test_a_write_in_a_savepoint_moves_the_versions_once_the_whole_transaction_commits(
    client, caplog
):
    """Releasing a savepoint commits nothing: moving the versions then would let a page be
    kept with the data from before the commit (and, on SQLite, wait for this session's own
    write lock, then fail)."""
    from tests.factories import create_service

    service = create_service("Rothwell youth club")
    client.get(SERVICES)
    before = page_cache._versions()
    with db.session.begin_nested():
        service.name = "Renamed in a savepoint"
    assert page_cache._versions() == before
    db.session.commit()
    response = client.get(SERVICES)
    assert response.headers["X-Page-Cache"] == "miss"
    assert _names(response) == ["Renamed in a savepoint"]
    assert not [r for r in caplog.records if r.name == "engage.page_cache"]


def test_a_savepoint_rolled_back_leaves_the_outer_write_to_move_the_versions(client):
    from tests.factories import create_service

    service = create_service("Rothwell youth club")
    client.get(SERVICES)
    service.name = "Renamed before the savepoint"
    db.session.flush()
    db.session.begin_nested().rollback()
    db.session.commit()
    response = client.get(SERVICES)
    assert response.headers["X-Page-Cache"] == "miss"
    assert _names(response) == ["Renamed before the savepoint"]


def test_writes_nobody_sees_on_a_public_page_keep_the_pages(client):
    from engage.audit.logic import Action, record
    from tests.factories import create_service

    create_service("Rothwell youth club")
    client.get(SERVICES)
    officer = create_user(Role.ENGAGEMENT_OFFICER, email="officer@example.org")
    record(officer, Action.ROLE_CHANGED, officer)
    db.session.commit()
    assert client.get(SERVICES).headers["X-Page-Cache"] == "hit"


def test_each_visit_gets_a_fresh_nonce_matching_its_policy(client):
    pages = [client.get("/") for _ in range(3)]
    assert [p.headers["X-Page-Cache"] for p in pages] == ["miss", "hit", "hit"]
    nonces = []
    for page in pages:
        policy = re.search(r"'nonce-([^']+)'", page.headers["Content-Security-Policy"]).group(1)
        in_page = set(re.findall(r'nonce="([^"]+)"', page.get_data(as_text=True)))
        assert in_page == {policy}
        nonces.append(policy)
    assert len(set(nonces)) == 3


def test_each_language_and_host_is_kept_apart(client):
    english = client.get("/", headers={"Accept-Language": "en-GB"})
    polish = client.get("/", headers={"Accept-Language": "pl"})
    assert english.headers["X-Page-Cache"] == polish.headers["X-Page-Cache"] == "miss"
    assert 'lang="en' in english.get_data(as_text=True)
    assert 'lang="pl"' in polish.get_data(as_text=True)
    evil = client.get(SERVICES, headers={"Host": "evil.example"})
    plain = client.get(SERVICES)
    assert plain.headers["X-Page-Cache"] == "miss"
    assert "evil.example" not in plain.get_data(as_text=True)
    assert evil.status_code == 200


def test_signed_in_people_are_never_served_or_stored(app, client):
    client.get("/")
    officer = create_user(Role.ENGAGEMENT_OFFICER, email="officer@example.org")
    officer_client = signed_in(app, officer)
    page = officer_client.get("/")
    assert "X-Page-Cache" not in page.headers
    assert "Sign out" in page.get_data(as_text=True)
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_a_kept_form_carries_each_visitors_own_csrf_token_and_a_flash_is_never_kept():
    app = create_app(config_with(SQLALCHEMY_DATABASE_URI="sqlite://"))
    app.before_request(_fresh_g)  # the test holds one app context; a server's `g` is per request

    @app.route("/with-a-form")
    @page_cache.cached_page(page_cache.Content.DIRECTORY)
    def with_a_form():
        from flask_wtf.csrf import generate_csrf

        return f'<input name="csrf_token" value="{generate_csrf()}">'

    @app.route("/send", methods=["POST"])
    def send():
        return "sent"

    @app.route("/with-a-message")
    @page_cache.cached_page(page_cache.Content.DIRECTORY)
    def with_a_message():
        flash("Saved")
        return "ok"

    with app.app_context():
        db.create_all()
        first, second = app.test_client(), app.test_client()
        token = {}
        for name, client in (("first", first), ("second", second)):
            page = client.get("/with-a-form")
            token[name] = re.search(r'value="([^"]+)"', page.get_data(as_text=True)).group(1)
        assert page.headers["X-Page-Cache"] == "hit"
        assert token["first"] != token["second"]
        assert second.post("/send", data={"csrf_token": token["second"]}).status_code == 200
        assert second.post("/send", data={"csrf_token": token["first"]}).status_code == 400
        assert first.post("/send", data={"csrf_token": token["first"]}).status_code == 200
        assert "X-Page-Cache" not in app.test_client().get("/with-a-message").headers
        db.session.remove()


def test_a_visitor_with_a_message_waiting_is_rendered_afresh(app, client):
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Thank you: your feedback was sent")]
    page = client.get("/")
    assert "X-Page-Cache" not in page.headers
    assert "Thank you: your feedback was sent" in page.get_data(as_text=True)


def test_the_cache_can_be_turned_off(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    off = create_app(config_with(SQLALCHEMY_DATABASE_URI=url, PAGE_CACHE_SIZE=0))
    with off.app_context():
        client = off.test_client()
        assert all("X-Page-Cache" not in client.get("/").headers for _ in range(2))
        db.session.remove()


def test_a_remembered_figure_is_computed_again_only_when_its_content_changes(app):
    from tests.factories import create_service

    calls = []

    def count_services() -> int:
        calls.append(1)
        return len(db.session.scalars(select(Service)).all())

    def figure() -> int:
        return page_cache.remembered(("services",), [page_cache.Content.DIRECTORY], count_services)

    assert figure() == 0 and figure() == 0
    assert len(calls) == 1
    create_service("Rothwell youth club")
    assert figure() == 1 and figure() == 1
    assert len(calls) == 2
    officer = create_user(Role.ENGAGEMENT_OFFICER, email="officer@example.org")
    officer.display_name = "Changed"
    db.session.commit()  # accounts are no public content: the figure stands
    assert figure() == 1
    assert len(calls) == 2
