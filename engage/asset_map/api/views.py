"""The open, read-only Open Referral UK 3.0 API: Level 1 (services) and Level 2
(organisations, services at locations, taxonomies, taxonomy terms), CORS open to all."""

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, redirect, request, url_for

from engage.asset_map.api import params, records, services
from engage.asset_map.api.openapi import openapi_document
from engage.asset_map.models import Organisation, Service, Taxonomy
from engage.asset_map.oruk import publish
from engage.asset_map.oruk.schema import dump
from engage.errors import render_error
from engage.extensions import csrf
from engage.page_cache import Content, cached_page
from engage.urls import query_args

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PROFILE = "https://openreferraluk.org/"


@bp.errorhandler(params.BadParameter)
def bad_parameter(error: params.BadParameter):
    return render_error(400, error.message)


@bp.after_request
def open_to_all(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _args(model: type[params.P]) -> params.P:
    return params.parse(model, request.args)


def _found(record: Any, endpoint: str) -> Any:
    """The record, a redirect to where an old id now lives, or a 404."""
    if isinstance(record, records.Moved):
        query = query_args(request.args)
        return redirect(url_for(endpoint, record_id=record.oruk_id, **query), 301)
    if record is None:
        abort(404)
    return record


@bp.route("/")
def index():
    _args(params.NoParams)
    return jsonify(
        version="3.0",
        profile=PROFILE,
        openapi_url=url_for("api_v1.openapi", _external=True),
    )


@bp.route("/openapi.json")
def openapi():
    _args(params.NoParams)
    return jsonify(openapi_document(url_for("api_v1.index", _external=True).rstrip("/")))


@bp.route("/services")
@cached_page(Content.DIRECTORY)
def list_services():
    return jsonify(services.services_page(_args(params.ServiceQuery)))


@bp.route("/services/<record_id>")
@cached_page(Content.DIRECTORY)
def show_service(record_id: str):
    _args(params.NoParams)
    found = records.find(Service, "service", record_id)
    if isinstance(found, Service):
        found = services.load_service(found.oruk_id)
    return _reply(_found(found, "api_v1.show_service"), services.service_detail)


@bp.route("/service_at_locations")
@cached_page(Content.DIRECTORY)
def list_service_at_locations():
    return jsonify(services.service_at_locations_page(_args(params.ServiceFilters)))


@bp.route("/service_at_locations/<record_id>")
@cached_page(Content.DIRECTORY)
def show_service_at_location(record_id: str):
    _args(params.NoParams)
    return jsonify(services.service_at_location_detail(record_id) or abort(404))


@bp.route("/organizations")
@cached_page(Content.DIRECTORY)
def list_organizations():
    return jsonify(records.organisations_page(_args(params.OrganizationQuery)))


@bp.route("/organizations/<record_id>")
@cached_page(Content.DIRECTORY)
def show_organization(record_id: str):
    query = _args(params.OrganizationDetailQuery)
    found = _found(
        records.find(Organisation, "organisation", record_id), "api_v1.show_organization"
    )
    if not isinstance(found, Organisation):
        return found
    return jsonify(records.organisation_detail(found, query.full_service))


@bp.route("/taxonomies")
@cached_page(Content.DIRECTORY)
def list_taxonomies():
    return jsonify(records.taxonomies_page(_args(params.Paging)))


@bp.route("/taxonomies/<record_id>")
def show_taxonomy(record_id: str):
    _args(params.NoParams)
    found = _found(records.find(Taxonomy, "taxonomy", record_id), "api_v1.show_taxonomy")
    return _reply(found, records.taxonomy_detail)


@bp.route("/taxonomy_terms")
def list_taxonomy_terms():
    return jsonify(records.terms_page(_args(params.TaxonomyTermQuery)))


@bp.route("/taxonomy_terms/<record_id>")
def show_taxonomy_term(record_id: str):
    _args(params.NoParams)
    term = records.find_term(record_id) or abort(404)
    if term.oruk_id != record_id:
        return _found(records.Moved(term.oruk_id), "api_v1.show_taxonomy_term")
    return jsonify(dump(publish.taxonomy_term(term)))


@bp.route("/services.geojson")
def services_geojson():
    query = _args(params.MapQuery)
    return jsonify(services.map_features(query, current_app.config.get("GEOJSON_LIMIT", 20000)))


def _reply(found: Any, render) -> Any:
    if not hasattr(found, "oruk_id"):
        return found  # a redirect
    return jsonify(render(found))
