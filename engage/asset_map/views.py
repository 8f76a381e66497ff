"""Public pages of the asset map: find support, one service, one area, the embeddable list."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from engage.asset_map import logic
from engage.asset_map.forms import ProblemReportForm, SearchForm
from engage.asset_map.map import base_map, markers_payload, parts, results_payload
from engage.asset_map.markers import FIT_PX, MAX_ZOOM, View
from engage.asset_map.search import SearchFilters
from engage.asset_map.search_log import Searched, note_search
from engage.database import utcnow
from engage.i18n import london_now
from engage.page_cache import Content, Vary, cached_page
from engage.security import allow_framing_by
from engage.urls import query_args

bp = Blueprint("asset_map", __name__)


def _search_from_args() -> tuple[SearchForm, logic.SupportSearch]:
    form = SearchForm(request.args)
    form.set_choices(logic.taxonomy_terms())
    valid = form.validate() if request.args else True
    data = form.data if valid else {}
    filters = SearchFilters(
        category=data.get("category") or "",
        age=data.get("age"),
        free_only=bool(data.get("free")),
        day=data.get("day") or "",
        self_referral=bool(data.get("self_referral")),
        language=data.get("language") or "",
        level=data.get("level") or "",
    )
    search = logic.SupportSearch(
        place_text=(data.get("q") or "").strip(),
        filters=filters,
        bbox=_bbox(request.args.get("bbox", "")),
        page=request.args.get("page", 1, type=int) or 1,
    )
    return form, search


def _bbox(text: str) -> tuple[float, float, float, float] | None:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in text.split(","))
    except ValueError:
        return None
    if not (min_lon < max_lon and min_lat < max_lat):
        return None
    return min_lon, min_lat, max_lon, max_lat


def _support_map():
    config = current_app.config
    return parts(base_map(config["MAP_TILE_URL"], config["MAP_TILE_ATTRIBUTION"]))


def _visitor() -> str | None:
    """An anonymous visitor's address, to count their searches once a day; None for anyone
    signed in, whose searches never count."""
    return None if current_user.is_authenticated else (request.remote_addr or "")


def _log_again(searched: Searched) -> None:
    """A search answered from the page cache is logged as the view would have logged it."""
    note_search(searched, london_now().date(), _visitor())


@bp.route("/find-support")
@cached_page(Content.DIRECTORY, vary=Vary.MINUTE, also=_log_again)
def find_support():
    form, search = _search_from_args()
    results = logic.find_support(search, london_now(), log=not form.errors, visitor=_visitor())
    g.page_note = results.searched
    query = query_args(request.args)
    return render_template(
        "asset_map/find-support.html",
        form=form,
        results=results,
        today=utcnow().date(),
        map_parts=_support_map(),
        results_url=url_for("asset_map.results_json", **query),
        page_href=lambda n: url_for("asset_map.find_support", **{**query, "page": n}),
    )


@bp.route("/find-support/results.json")
@cached_page(Content.DIRECTORY, vary=Vary.MINUTE)
def results_json():
    _form, search = _search_from_args()
    limit = current_app.config["MAP_MARKER_LIMIT"]
    markers = logic.find_markers(search, london_now(), _view(), _fit(), limit)
    payload = markers_payload(markers, _service_url_template())
    return current_app.response_class(payload, mimetype="application/json")


def _view() -> View | None:
    """The part of the map the browser shows (`view=w,s,e,n&zoom=z`), if it said."""
    box = _bbox(request.args.get("view", ""))
    zoom = request.args.get("zoom", type=int)
    if box is None or zoom is None:
        return None
    return View(box, min(max(zoom, 0), MAX_ZOOM))


def _fit() -> tuple[int, int]:
    """The map's size in pixels (`fit=w,h`), to choose the zoom the browser will show."""
    try:
        width, height = (int(part) for part in request.args.get("fit", "").split(","))
    except ValueError:
        return FIT_PX
    return min(max(width, 1), 10_000), min(max(height, 1), 10_000)


def _service_url_template() -> str:
    return url_for("asset_map.show_service", service_id=0).replace("/0", "/{id}")


@bp.route("/services/<int:service_id>")
def show_service(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    return render_template(
        "asset_map/service.html",
        service=service,
        today=utcnow().date(),
        map_parts=_support_map(),
        form=None,
    )


@bp.route("/services/<int:service_id>/locations.json")
def service_locations_json(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    payload = results_payload(logic.location_hits(service), _service_url_template())
    return current_app.response_class(payload, mimetype="application/json")


@bp.route("/services/<int:service_id>/report-a-problem", methods=["GET", "POST"])
def report_problem(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    form = ProblemReportForm()
    if form.validate_on_submit():
        logic.report_problem(service, form.kind.data, form.details.data or "")
        flash(_("Thank you. We will check the listing."))
        return redirect(url_for("asset_map.show_service", service_id=service.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("asset_map/report-a-problem.html", service=service, form=form), status


@bp.route("/areas/<code>")
def show_area(code: str):
    profile = logic.area_profile(code) or abort(404)
    return render_template("asset_map/area.html", profile=profile, today=utcnow().date())


@bp.route("/embed/find-support")
def embed_find_support():
    _form, search = _search_from_args()
    area = request.args.get("area", "").replace("\x00", "")
    results = logic.find_support_in_area(area, search.filters, london_now()) if area else None
    if area and results is None:
        abort(404)
    allow_framing_by(current_app.config["EMBED_ALLOWED_ORIGINS"])
    return render_template("asset_map/embed.html", results=results, today=utcnow().date())
