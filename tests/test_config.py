"""Settings come from the environment; production refuses to start without a secret."""

import gc
import importlib.util
import re

import pytest

from engage import create_app
from engage.config import DevelopmentConfig, ProductionConfig, TestConfig, config_from_env


def test_development_keeps_a_generated_secret_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ENGAGE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app(type("D", (DevelopmentConfig,), {"SECRET_KEY": None}))
    second = create_app(type("D", (DevelopmentConfig,), {"SECRET_KEY": None}))
    assert len(first.config["SECRET_KEY"]) >= 40
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ENGAGE_INSTANCE_PATH", str(tmp_path))
    app = create_app(type("D", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": None}))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/engage.db"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("ENGAGE_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(type("P", (ProductionConfig,), {"SECRET_KEY": None}))


def test_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("ENGAGE_ENV", "staging-ish")
    with pytest.raises(RuntimeError, match="ENGAGE_ENV"):
        config_from_env()


def test_env_example_documents_every_variable(root_dir):
    documented = {
        line.split("=")[0].lstrip("# ").strip()
        for line in (root_dir / ".env.example").read_text().splitlines()
        if "=" in line
    }
    source = (root_dir / "engage" / "config.py").read_text()

    used = set(re.findall(r'(?:environ\.get|_bool)\(\s*"([A-Z_]+)"', source))
    used = (used | {"ENGAGE_ENV", "ENGAGE_INSTANCE_PATH"}) - {"TEST_DATABASE_URL"}
    assert used <= documented


def test_production_refuses_the_test_suites_cheap_password_hashing(monkeypatch, tmp_path):
    monkeypatch.setenv("ENGAGE_INSTANCE_PATH", str(tmp_path))
    cheap = {"SECRET_KEY": "x" * 40, "PASSWORD_HASH_COST": "tests-only"}
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_COST"):
        create_app(type("P", (ProductionConfig,), cheap))


def test_every_environment_but_the_tests_hashes_at_argon2s_standard_cost(monkeypatch, tmp_path):
    from engage.accounts.passwords import hash_password

    monkeypatch.setenv("ENGAGE_INSTANCE_PATH", str(tmp_path))
    for config in (DevelopmentConfig, type("P", (ProductionConfig,), {"SECRET_KEY": "x" * 40})):
        create_app(config)
        assert "$m=65536,t=3,p=4$" in hash_password("a good long password")
    create_app(TestConfig)
    assert "$m=8,t=1,p=1$" in hash_password("a good long password")


def test_a_gunicorn_worker_moves_the_loaded_app_out_of_the_collectors_way(root_dir):
    """gunicorn calls `post_worker_init` from gunicorn.conf.py by that name, once the worker
    has loaded the app: what is alive then is frozen, so full collections skip it."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf", root_dir / "gunicorn.conf.py")
    settings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(settings)
    gc.unfreeze()
    try:
        settings.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000  # the test process's app, modules and all
    finally:
        gc.unfreeze()
