"""Open Referral UK (HSDS 3) shapes: our records as the standard's JSON, and paging."""

from math import ceil
from typing import Any

from engage.asset_map.models import Location, Organisation, Schedule, Service, TaxonomyTerm

STATUS = {"active": "active", "inactive": "inactive", "temporarily_closed": "temporarily closed"}
STATUS_BACK = {value: key for key, value in STATUS.items()}
VOCABULARY = "engage"


def page(contents: list[Any], total: int, page_number: int, size: int) -> dict[str, Any]:
    pages = max(1, ceil(total / size)) if size else 1
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": not contents,
        "contents": contents,
    }


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": term.id,
        "code": term.external_code or term.id,
        "name": term.name,
        "description": term.description or term.name,
        "vocabulary": term.vocabulary or VOCABULARY,
        "parent_id": None,
    }


def organisation(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.oruk_id,
        "name": org.name,
        "description": org.description or org.name,
        "email": org.email,
        "website": org.website,
        "phones": [{"id": f"{org.oruk_id}-phone", "number": org.phone}] if org.phone else [],
    }


def location(loc: Location) -> dict[str, Any]:
    return {
        "id": loc.oruk_id,
        "location_type": "physical" if loc.physical else "virtual",
        "name": loc.name,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "addresses": [
            {
                "id": f"{loc.oruk_id}-address",
                "address_1": loc.address_1,
                "city": loc.city,
                "postal_code": loc.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
        if loc.physical
        else [],
    }


def schedule(item: Schedule) -> dict[str, Any]:
    return {
        "id": f"schedule-{item.id}",
        "freq": "WEEKLY",
        "byday": item.byday,
        "opens_at": item.opens_at,
        "closes_at": item.closes_at,
        "description": item.description,
    }


def service_summary(service: Service) -> dict[str, Any]:
    return {
        "id": service.oruk_id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": STATUS[service.status],
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "last_modified": service.updated_at.isoformat() + "Z",
        "organization": {"id": service.organisation.oruk_id, "name": service.organisation.name},
    }


def service_full(service: Service) -> dict[str, Any]:
    full = service_summary(service)
    full.update(
        {
            "organization": organisation(service.organisation),
            "eligibility_description": service.eligibility,
            "fees_description": None if service.free else service.cost_description,
            "cost_options": []
            if service.free
            else [{"id": f"{service.oruk_id}-cost", "option": service.cost_description}],
            "application_process": service.access,
            "languages": [
                {"id": f"{service.oruk_id}-{code}", "code": code} for code in service.language_codes
            ],
            "phones": [{"id": f"{service.oruk_id}-phone", "number": service.phone}]
            if service.phone
            else [],
            "schedules": [schedule(s) for s in service.schedules],
            "service_at_locations": [
                {"id": f"{service.oruk_id}-{loc.oruk_id}", "location": location(loc)}
                for loc in service.locations
            ],
            "service_areas": [
                {
                    "id": f"{service.oruk_id}-{area.code}",
                    "name": area.name,
                    "extent_type": "geojson",
                    "uri": None,
                }
                for area in service.service_areas
            ],
            "attributes": [
                {"id": f"{service.oruk_id}-{term.id}", "taxonomy_term": taxonomy_term(term)}
                for term in service.taxonomy_terms
            ],
            "prevention_level": service.prevention_level,
            "accessibility": service.accessibility_features,
        }
    )
    return full


def geojson_features(rows: list[Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(r.lon, 6), round(r.lat, 6)]},
                "properties": {"id": r.oruk_id, "name": r.name},
            }
            for r in rows
        ],
    }
