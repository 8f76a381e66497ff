"""The open, read-only directory API, paged as Open Referral UK does, CORS open to all."""

from datetime import datetime

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engage.asset_map import oruk
from engage.asset_map.logic import taxonomy_terms
from engage.asset_map.models import Location, Service, service_at_location
from engage.asset_map.openapi import openapi_document
from engage.asset_map.search import SearchFilters, filtered, nearest_services
from engage.errors import render_error
from engage.extensions import csrf, db
from engage.geo.lookup import gazetteer
from engage.geo.places import Place
from engage.i18n import london_now

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_PER_PAGE = 100
FULL = (
    selectinload(Service.organisation),
    selectinload(Service.locations),
    selectinload(Service.schedules),
    selectinload(Service.taxonomy_terms),
    selectinload(Service.service_areas),
)


class BadParameter(Exception):
    pass


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return render_error(400, str(error))


@bp.after_request
def open_to_all(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _int(name: str, default: int | None = None, low: int = 0, high: int = 10**6) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(_("%(name)s must be a whole number", name=name)) from None
    if not low <= value <= high:
        raise BadParameter(
            _("%(name)s must be from %(low)d to %(high)d", name=name, low=low, high=high)
        )
    return value


def _filters() -> SearchFilters:
    modified = request.args.get("modified_after")
    try:
        modified_after = datetime.fromisoformat(modified.replace("Z", "")) if modified else None
    except ValueError:
        raise BadParameter(
            _("modified_after must be a date and time like 2026-01-31T09:00:00")
        ) from None
    return SearchFilters(
        category=request.args.get("taxonomy_term_id", ""),
        text=request.args.get("search", "").strip()[:100],
        age_from=_int("minimum_age", high=120),
        age_to=_int("maximum_age", high=120),
        modified_after=modified_after,
    )


@bp.route("/")
def index():
    return jsonify(
        version="3.0",
        profile="https://openreferraluk.org",
        openapi_url=url_for("api_v1.openapi", _external=True),
    )


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api_v1.index", _external=True).rstrip("/")))


@bp.route("/services")
def list_services():
    filters = _filters()
    page_number = _int("page", 1, low=1)
    per_page = _int("per_page", 20, low=1, high=MAX_PER_PAGE)
    postcode = request.args.get("postcode", "").strip()
    if postcode:
        ids, total = _near(postcode, filters, page_number, per_page)
    else:
        ids, total = _all(filters, page_number, per_page)
    query = select(Service).where(Service.id.in_(ids)).options(selectinload(Service.organisation))
    services = {s.id: s for s in db.session.scalars(query)}
    contents = [oruk.service_summary(services[i]) for i in ids]
    return jsonify(oruk.page(contents, total, page_number, per_page))


def _near(postcode: str, filters: SearchFilters, page_number: int, per_page: int):
    place = gazetteer().find(postcode)
    if not isinstance(place, Place):
        raise BadParameter(_("postcode %(postcode)s was not found", postcode=postcode))
    radius = _int("proximity", 5000, low=1, high=100_000)
    offset = (page_number - 1) * per_page
    return nearest_services(
        filters, place.latitude, place.longitude, radius, offset, per_page, london_now()
    )


def _all(filters: SearchFilters, page_number: int, per_page: int):
    query = filtered(select(Service.id), filters, london_now())
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    ids = list(
        db.session.scalars(
            query.order_by(Service.name, Service.id)
            .offset((page_number - 1) * per_page)
            .limit(per_page)
        )
    )
    return ids, total


@bp.route("/services/<service_id>")
def show_service(service_id: str):
    service = db.session.scalar(select(Service).where(Service.oruk_id == service_id).options(*FULL))
    if service is None:
        abort(404)
    return jsonify(oruk.service_full(service))


@bp.route("/taxonomy_terms")
def list_taxonomy_terms():
    terms = taxonomy_terms()
    return jsonify(
        oruk.page([oruk.taxonomy_term(t) for t in terms], len(terms), 1, max(len(terms), 1))
    )


@bp.route("/services.geojson")
def services_geojson():
    try:
        min_lon, min_lat, max_lon, max_lat = (float(x) for x in request.args["bbox"].split(","))
    except (KeyError, ValueError):
        raise BadParameter(_("bbox must be min_lon,min_lat,max_lon,max_lat")) from None
    query = filtered(
        select(
            Service.oruk_id,
            Service.name,
            Location.latitude.label("lat"),
            Location.longitude.label("lon"),
        )
        .join(service_at_location, service_at_location.c.service_id == Service.id)
        .join(Location, Location.id == service_at_location.c.location_id)
        .where(
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lon, max_lon),
        ),
        _filters(),
        london_now(),
    ).limit(current_app.config.get("GEOJSON_LIMIT", 20000))
    return jsonify(oruk.geojson_features(db.session.execute(query).all()))
