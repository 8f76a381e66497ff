"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from typing import Any

PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
]
SERVICE_FILTERS = [
    {
        "name": "search",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Words in the service's name or description.",
    },
    {"name": "taxonomy_term_id", "in": "query", "schema": {"type": "string"}},
    {"name": "minimum_age", "in": "query", "schema": {"type": "integer"}},
    {"name": "maximum_age", "in": "query", "schema": {"type": "integer"}},
    {
        "name": "postcode",
        "in": "query",
        "schema": {"type": "string"},
        "description": "A full postcode or a postcode district (NN14). Results are nearest first.",
    },
    {
        "name": "proximity",
        "in": "query",
        "schema": {"type": "integer", "default": 5000},
        "description": "Radius around the postcode, in metres.",
    },
    {"name": "modified_after", "in": "query", "schema": {"type": "string", "format": "date-time"}},
]


def _page_schema(item_ref: str) -> dict[str, Any]:
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
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer"},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": {"$ref": item_ref}},
        },
    }


def _ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": {"$ref": "#/components/responses/Problem"},
    }


def openapi_document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Engage directory API",
            "version": "1.0.0",
            "description": "Local support services, shaped by Open Referral UK (HSDS 3). "
            "Read-only and open to all (CORS *).",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/": {"get": {"summary": "Version information", "responses": _ok({"type": "object"})}},
            "/services": {
                "get": {
                    "summary": "Services, paged",
                    "parameters": PAGE_PARAMS + SERVICE_FILTERS,
                    "responses": _ok(_page_schema("#/components/schemas/ServiceSummary")),
                }
            },
            "/services/{id}": {
                "get": {
                    "summary": "One service with its organisation, locations, schedules and terms",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        **_ok({"$ref": "#/components/schemas/Service"}),
                        "404": {"$ref": "#/components/responses/Problem"},
                    },
                }
            },
            "/taxonomy_terms": {
                "get": {
                    "summary": "The categories services are tagged with",
                    "responses": _ok(_page_schema("#/components/schemas/TaxonomyTerm")),
                }
            },
            "/services.geojson": {
                "get": {
                    "summary": "Service locations in a bounding box, for maps",
                    "parameters": [
                        {
                            "name": "bbox",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "min_lon,min_lat,max_lon,max_lat",
                        }
                    ]
                    + SERVICE_FILTERS[:4],
                    "responses": _ok({"type": "object"}, "A GeoJSON FeatureCollection"),
                }
            },
        },
        "components": {
            "schemas": {
                "ServiceSummary": {
                    "type": "object",
                    "required": ["id", "name", "status"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "status": {"type": "string"},
                    },
                },
                "Service": {"type": "object", "required": ["id", "name", "status", "organization"]},
                "TaxonomyTerm": {"type": "object", "required": ["id", "name", "description"]},
            },
            "responses": {
                "Problem": {
                    "description": "Problem details (RFC 9457)",
                    "content": {
                        "application/problem+json": {
                            "schema": {
                                "type": "object",
                                "required": ["title", "status"],
                                "properties": {
                                    "type": {"type": "string"},
                                    "title": {"type": "string"},
                                    "status": {"type": "integer"},
                                    "detail": {"type": "string"},
                                },
                            }
                        }
                    },
                }
            },
        },
    }
