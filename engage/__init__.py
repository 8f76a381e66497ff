"""Engage: the application factory."""

import atexit
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from engage.accounts.passwords import STANDARD, use_cost
from engage.config import Config, config_from_env, development_secret_key, shared_state_problem

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("ENGAGE_INSTANCE_PATH", str(ROOT / "instance")),
    )
    load_config(app, config)
    register_converters(app)
    register_proxies(app)
    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_logging(app)
    return app


def load_config(app: Flask, config: type[Config] | dict[str, Any] | None) -> None:
    base = config if isinstance(config, type) else config_from_env()
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{app.instance_path}/engage.db"
    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError("SECRET_KEY must be set in production (see .env.example)")
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)
    problem = shared_state_problem(app.config, int(os.environ.get("WEB_CONCURRENCY", 1)))
    if problem:
        raise RuntimeError(problem)
    if app.config["ENV_NAME"] == "production" and app.config["PASSWORD_HASH_COST"] != STANDARD:
        raise RuntimeError("PASSWORD_HASH_COST must be 'standard' in production")
    use_cost(app.config["PASSWORD_HASH_COST"])


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a record id, so a number no database column can hold is
    simply not found (404), never an overflow deep in the database driver."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter


def register_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT proxies, the client's address and scheme come from that many hops of
    X-Forwarded-*; with none, those headers are ignored (a client cannot choose its address)."""
    hops = app.config["PROXY_COUNT"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def register_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from engage.pagination import pagination

    app.jinja_env.globals["pagination"] = pagination


def register_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from engage import i18n, page_cache
    from engage import models as _models  # noqa: F401  (every table, for Alembic)
    from engage.accounts.sessions import load_user
    from engage.asset_map import gaps, search_log
    from engage.extensions import babel, csrf, db, limiter, login_manager, migrate
    from engage.jobs import queue as jobs_queue

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    jobs_queue.init_app(app)
    page_cache.init_app(app)
    gaps.init_app(app)
    search_log.batch_searches(app.config["SEARCH_LOG_BATCH"], app.config["SEARCH_LOG_SECONDS"])
    _writes_waiting_searches_at_exit(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None
    WTFormsHelpers(app)


_EXIT_APP: list[Flask] = []  # the process's latest app: searches still waiting go to its database


def _writes_waiting_searches_at_exit(app: Flask) -> None:
    """One exit hook per process (not one per app, which would keep every app alive)."""
    if not _EXIT_APP:
        atexit.register(_write_waiting_searches)
    _EXIT_APP[:] = [app]


def _write_waiting_searches() -> None:
    from engage.asset_map.search_log import write_waiting

    with _EXIT_APP[0].app_context():
        write_waiting()


def register_blueprints(app: Flask) -> None:
    from engage.accounts.views import bp as accounts_bp
    from engage.asset_map import display
    from engage.asset_map.api import bp as api_v1_bp
    from engage.asset_map.manage_views import bp as manage_assets_bp
    from engage.asset_map.views import bp as asset_map_bp
    from engage.audit import views as audit_views
    from engage.budgeting.views import bp as budgeting_bp
    from engage.budgeting.views import register as register_budgeting_display
    from engage.feedback import display as feedback_display
    from engage.feedback.public_views import bp as have_your_say_bp
    from engage.feedback.safeguarding_views import bp as safeguarding_bp
    from engage.feedback.views import bp as feedback_bp
    from engage.jobs.views import register as register_jobs
    from engage.main.views import bp as main_bp
    from engage.monitoring.views import register as register_monitoring
    from engage.reports.views import register as register_reports
    from engage.you_said_we_did.views import bp as you_said_we_did_bp
    from engage.you_said_we_did.views import register as register_responses_display

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(asset_map_bp)
    app.register_blueprint(api_v1_bp)
    app.register_blueprint(manage_assets_bp)
    app.register_blueprint(budgeting_bp)
    app.register_blueprint(have_your_say_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(safeguarding_bp)
    app.register_blueprint(you_said_we_did_bp)
    app.register_blueprint(audit_views.bp)
    register_monitoring(app)
    register_reports(app)
    audit_views.register(app)
    register_responses_display(app)
    register_budgeting_display(app)
    display.register(app)
    feedback_display.register(app)
    register_jobs(app)


def register_cli(app: Flask) -> None:
    from engage.cli import register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    from engage.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from engage.security import register

    register(app)


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
    app.logger.setLevel(logging.INFO)
