"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json: every response
with its full schema and every parameter with its limits, from the same typed models the API
answers with and parses its parameters into."""

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from engage.asset_map.api import params
from engage.asset_map.oruk import schema as o

RECORDS: list[type[BaseModel]] = [
    o.Service,
    o.ServiceSummary,
    o.ServiceAtLocation,
    o.ServiceAtLocationSummary,
    o.Organization,
    o.OrganizationSummary,
    o.Taxonomy,
    o.TaxonomyTerm,
]
REF = "#/components/schemas/{model}"


def _tidy(node: Any) -> Any:
    """Drop what pydantic adds for Python's sake: titles, null defaults and `| None` (the API
    leaves a field with no value out rather than sending null)."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    options = node.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        merged = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
        node = {**merged, **rest[0]} if len(rest) == 1 else {**merged, "anyOf": rest}
    return {
        key: _tidy(value)
        for key, value in node.items()
        if key != "title" and not (key == "default" and value is None)
    }


def _components() -> dict[str, Any]:
    _, schema = models_json_schema(
        [(model, "serialization") for model in RECORDS], ref_template=REF
    )
    schemas = _tidy(schema["$defs"])
    schemas["ServiceMinimal"] = {
        "type": "object",
        "required": ["id", "name", "status"],
        "properties": {
            name: schemas["ServiceSummary"]["properties"][name]
            for name in ("id", "name", "status", "last_modified")
        },
    }
    schemas["Problem"] = {
        "type": "object",
        "required": ["title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
        },
    }
    return schemas


def _parameters(model: type[params.Params]) -> list[dict[str, Any]]:
    properties = _tidy(model.model_json_schema()["properties"])
    found = []
    for name, field in model.model_fields.items():
        schema = dict(properties[name])
        description = schema.pop("description", None)
        parameter = {"name": name, "in": "query", "required": field.is_required(), "schema": schema}
        if description:
            parameter["description"] = description
        found.append(parameter)
    return found


def _page(item: dict[str, Any], max_size: int) -> dict[str, Any]:
    counts = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": counts,
            "total_pages": {"type": "integer", "minimum": 1},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0, "maximum": max_size},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "maxItems": max_size, "items": item},
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _get(summary: str, schema: dict[str, Any], model: type[params.Params], **extra) -> dict:
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "400": _problem("A parameter we do not know or cannot honour, or a bad value"),
        **extra,
    }
    return {"get": {"summary": summary, "parameters": _parameters(model), "responses": responses}}


def _detail(summary: str, schema: dict[str, Any], model: type[params.Params] = params.NoParams):
    operation = _get(
        summary,
        schema,
        model,
        **{
            "301": {"description": "An id the record had before: its address now"},
            "404": _problem("No record has this id"),
        },
    )
    operation["parameters"] = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    return operation


def _paths() -> dict[str, Any]:
    wide, narrow = params.MAX_MINIMAL_PER_PAGE, params.MAX_PER_PAGE
    services = {"anyOf": [_ref("ServiceSummary"), _ref("Service"), _ref("ServiceMinimal")]}
    about = {
        "type": "object",
        "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"type": "string"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"},
        },
    }
    return {
        "/": _get("This API and the standard it follows", about, params.NoParams),
        "/openapi.json": _get("This description", {"type": "object"}, params.NoParams),
        "/services": _get("Services, paged", _page(services, wide), params.ServiceQuery),
        "/services/{id}": _detail("One service, fully nested", _ref("Service")),
        "/service_at_locations": _get(
            "Each service at each of its places, paged",
            _page(_ref("ServiceAtLocationSummary"), narrow),
            params.ServiceFilters,
        ),
        "/service_at_locations/{id}": _detail(
            "One service at one place, fully nested", _ref("ServiceAtLocation")
        ),
        "/organizations": _get(
            "Organisations, paged",
            _page(_ref("OrganizationSummary"), narrow),
            params.OrganizationQuery,
        ),
        "/organizations/{id}": _detail(
            "One organisation with its services",
            _ref("Organization"),
            params.OrganizationDetailQuery,
        ),
        "/taxonomies": _get("Taxonomies, paged", _page(_ref("Taxonomy"), narrow), params.Paging),
        "/taxonomies/{id}": _detail("One taxonomy with its terms", _ref("Taxonomy")),
        "/taxonomy_terms": _get(
            "Taxonomy terms, paged", _page(_ref("TaxonomyTerm"), narrow), params.TaxonomyTermQuery
        ),
        "/taxonomy_terms/{id}": _detail("One taxonomy term", _ref("TaxonomyTerm")),
        "/services.geojson": _get(
            "Places of running services in a box, for maps (a local extension)",
            _feature_collection(),
            params.MapQuery,
        ),
    }


def _feature_collection() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "geometry": {
                            "type": "object",
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"const": "Point"},
                                "coordinates": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                        },
                        "properties": {
                            "type": "object",
                            "required": ["id", "name"],
                            "properties": {
                                "id": {"type": "string", "format": "uuid"},
                                "name": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    }


def openapi_document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Engage directory API (Open Referral UK 3.0)",
            "version": "3.0",
            "description": "Local support services in the Open Referral UK 3.0 profile of "
            "HSDS 3.0: read-only, open to all (CORS *), paged the Open Referral UK way. A "
            "field with no value is left out. Engage's own fields start with x_engage_. "
            "Record schemas are written from the UK profile (CC BY-SA 4.0).",
            "license": {
                "name": "Creative Commons Attribution Share-Alike 4.0",
                "url": "https://creativecommons.org/licenses/by-sa/4.0/",
            },
        },
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {"schemas": _components()},
    }
