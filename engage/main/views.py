"""The home page, dashboards, information pages, language choice and the health check."""

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from engage.accounts.permissions import role_required
from engage.accounts.roles import ALL_ROLES
from engage.extensions import db
from engage.geo.logic import count_areas_by_level
from engage.i18n import LOCALE_COOKIE
from engage.main.dashboards import TASKS
from engage.page_cache import Content, cached_page
from engage.safe_redirect import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@cached_page(Content.DIRECTORY, Content.VOICE, Content.BUDGETING)
def home():
    return render_template("main/home.html", area_counts=count_areas_by_level())


@bp.route("/dashboard")
@role_required(*ALL_ROLES)
def dashboard():
    return render_template("main/dashboard.html", tasks=TASKS[current_user.role_enum])


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/cookies")
def cookies():
    return render_template("main/cookies.html")


@bp.route("/language/<code>")
def set_language(code: str):
    target = safe_next(request.args.get("next")) or url_for("main.home")
    response = make_response(redirect(target))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LOCALE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means this worker cannot serve
        db.session.rollback()
        current_app.logger.exception("health check: database unavailable")
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
