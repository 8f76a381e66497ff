"""The home page, languages, information pages, security headers and the health check."""

import pytest
from flask import Blueprint, abort

from engage import create_app
from tests.conftest import config_with


def test_home_page_offers_the_four_areas(client):
    page = client.get("/").get_data(as_text=True)
    for heading in ["Find support near you", "Youth ambassadors decide", "Have your say"]:
        assert heading in page
    assert 'lang="en-GB"' in page
    assert "Skip to main content" in page


def test_home_page_in_polish_when_the_browser_asks(client):
    page = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert 'lang="pl"' in text
    assert "Skip to main content" not in text


def test_choosing_a_language_is_remembered_and_beats_the_browser(client):
    response = client.get("/language/pl?next=/accessibility")
    assert response.headers["Location"] == "/accessibility"
    page = client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert 'lang="pl"' in page
    client.get("/language/en_GB")
    assert 'lang="en-GB"' in client.get("/").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_next_links(client):
    response = client.get("/language/xx?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert client.get_cookie("engage_locale") is None


@pytest.mark.parametrize("url", ["/accessibility", "/privacy", "/cookies"])
def test_footer_pages_are_linked_from_every_page(client, url):
    assert f'href="{url}"' in client.get("/").get_data(as_text=True)
    assert client.get(url).status_code == 200


def test_every_response_carries_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert "img-src 'self' data:" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers


def test_the_inline_script_carries_this_responses_nonce(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
    assert "cdn" not in response.get_data(as_text=True).lower()


def test_tile_host_in_the_policy_follows_configuration(tmp_path):
    app = create_app(
        config_with(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db",
            MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        )
    )
    csp = app.test_client().get("/healthz").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tiles.example.org" in csp


def test_production_sends_hsts_and_secure_cookies(monkeypatch, tmp_path):
    from engage.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = type(
        "P",
        (ProductionConfig,),
        {"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"},
    )
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert (
        "max-age=31536000" in app.test_client().get("/healthz").headers["Strict-Transport-Security"]
    )


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "up"}


def test_health_check_answers_503_when_the_database_is_down(tmp_path):
    app = create_app(config_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no/such/dir.db"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_unknown_page_gets_a_helpful_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_api_errors_are_json_problem_details(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["title"] == "Page not found"


def test_wrong_method_gets_405(client):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "not allowed" in response.get_data(as_text=True)


def test_oversized_body_gets_413(client, app):
    response = client.post("/sign-in", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unexpected_errors_show_a_500_page_and_log(tmp_path, caplog):
    app = create_app(config_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/e.db"))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    boom = Blueprint("boom", __name__)

    @boom.route("/boom")
    def explode():
        raise RuntimeError("kaboom")

    @boom.route("/forbidden")
    def forbidden():
        abort(403)

    app.register_blueprint(boom)
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Nothing you entered was saved" in response.get_data(as_text=True)
    assert "kaboom" in caplog.text
    assert client.get("/forbidden").status_code == 403
