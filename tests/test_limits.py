"""Limits that stop abuse without stopping a youth forum: shared by every worker and machine
(Redis, for real), read from the right client address behind proxies, per account as well as
per address for sign-in, and refused at start-up where they would not be shared."""

import os
import re
import shutil

import pytest
import requests

from engage import create_app
from engage.config import shared_state_problem
from tests.conftest import config_with, post_form
from tests.factories import create_user
from tests.servers import gunicorns, production_env, start

REDIS = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS, reason="make test starts a throwaway Redis")


def _sign_in_attempt(session: requests.Session, base: str) -> int:
    page = session.get(f"{base}/sign-in").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": "nobody@example.org", "password": "wrong", "csrf_token": token}
    return session.post(f"{base}/sign-in", data=data, allow_redirects=False).status_code


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A SQLite database as the migrations leave it, made once: each test gets a copy."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("migrated") / "engage.db"
    with create_app(config_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")).app_context():
        upgrade()
    return path


def _copy_of(migrated, tmp_path) -> str:
    copy = tmp_path / "engage.db"
    shutil.copyfile(migrated, copy)
    return f"sqlite:///{copy}"


def _two_machines(tmp_path, migrated, storage: str) -> dict[str, str]:
    return production_env(
        tmp_path,
        DATABASE_URL=_copy_of(migrated, tmp_path),
        RATELIMIT_STORAGE_URL=storage,
        LOGIN_RATE_LIMIT="4 per minute",
        ACCOUNT_LOGIN_RATE_LIMIT="100 per hour",
    )


@needs_redis
def test_two_machines_share_one_limit_through_redis(tmp_path, migrated):
    env = _two_machines(tmp_path, migrated, REDIS)
    with gunicorns(env, machines=2) as (first, second):
        browsers = {first: requests.Session(), second: requests.Session()}
        statuses = [_sign_in_attempt(browsers[base], base) for base in (first, second) * 3]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]


def test_with_per_process_limits_each_machine_counts_alone(tmp_path, migrated):
    """The same two machines without a shared store: what the Redis test guards against."""
    env = _two_machines(tmp_path, migrated, "memory://")
    with gunicorns(env, machines=2) as (first, second):
        browsers = {first: requests.Session(), second: requests.Session()}
        statuses = [_sign_in_attempt(browsers[base], base) for base in (first, second) * 3]
    assert statuses == [200] * 6


def test_production_refuses_to_start_several_workers_with_per_process_limits(tmp_path):
    env = production_env(tmp_path, RATELIMIT_STORAGE_URL="memory://")
    process = start(env, workers=2)
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "would each keep their own rate limits" in output
    development = {"ENV_NAME": "development", "RATELIMIT_STORAGE_URI": "memory://"}
    assert shared_state_problem(development, 4) is None


def test_the_app_refuses_to_start_when_told_of_several_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with pytest.raises(RuntimeError, match="own rate limits"):
        create_app(config_with(ENV_NAME="production", RATELIMIT_STORAGE_URI="memory://"))


def test_sign_in_is_limited_per_account_from_any_address(app, client, db_session):
    user = create_user()
    app.config["ACCOUNT_LOGIN_RATE_LIMIT"] = "3 per hour"
    try:
        statuses = []
        for n in range(4):
            other = app.test_client()
            other.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
            attempt = {"email": user.email.upper(), "password": "wrong"}
            statuses.append(post_form(other, "/sign-in", attempt).status_code)
        assert statuses == [200, 200, 200, 429]
        someone_else = create_user()
        fresh = app.test_client()
        fresh.environ_base["REMOTE_ADDR"] = "198.51.100.99"
        attempt = {"email": someone_else.email, "password": "wrong"}
        assert post_form(fresh, "/sign-in", attempt).status_code == 200
    finally:
        app.config["ACCOUNT_LOGIN_RATE_LIMIT"] = "10 per hour"


@pytest.mark.parametrize(("proxies", "shared"), [(0, True), (1, False)])
def test_the_client_address_is_read_through_the_configured_proxies(
    tmp_path, migrated, proxies, shared
):
    """Two people behind one proxy, each with their own address in X-Forwarded-For. With no
    proxy configured the header is ignored (one address: one limit); with one, each has their
    own limit, and a forged left-hand address changes nothing."""
    app = create_app(
        config_with(
            SQLALCHEMY_DATABASE_URI=_copy_of(migrated, tmp_path),
            PROXY_COUNT=proxies,
            LOGIN_RATE_LIMIT="2 per minute",
        )
    )
    from engage.extensions import limiter

    with app.app_context():  # requests below push their own context, as a server does
        limiter.reset()
    statuses = []
    for person in ("203.0.113.7", "203.0.113.8", "203.0.113.7", "203.0.113.8"):
        client = app.test_client()
        headers = {"X-Forwarded-For": f"6.6.6.{len(statuses)}, {person}"}
        page = client.get("/sign-in", headers=headers).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        attempt = {"email": "x@example.org", "password": "y", "csrf_token": token}
        statuses.append(client.post("/sign-in", headers=headers, data=attempt).status_code)
    with app.app_context():
        limiter.reset()
    assert statuses == ([200, 200, 429, 429] if shared else [200, 200, 200, 200])
