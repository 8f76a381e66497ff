"""Loading the demo directory (seed_assets/services.json) idempotently, by stable ids."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engage.accounts.models import User
from engage.asset_map.locations import assign_areas
from engage.asset_map.models import (
    Location,
    LocationAccessibility,
    Organisation,
    OrganisationMember,
    Phone,
    Schedule,
    Service,
    ServiceLanguage,
    TaxonomyTerm,
)
from engage.asset_map.oruk.ids import derived
from engage.asset_map.taxonomy import category
from engage.asset_map.vocabulary import AccessibilityFeature
from engage.database import transactional, utcnow
from engage.extensions import db
from engage.geo.models import Area

SEED = Path(__file__).resolve().parent.parent.parent / "seed_assets"


@transactional
def load_demo_directory(
    today: date, provider_email: str | None, path: Path = SEED / "services.json"
) -> tuple[int, int]:
    """Create the demo taxonomy, organisations and services that are missing; returns
    (organisations created, services created). Existing records are left as they are, so
    edits made while trying the demo survive a reload."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for term in data["taxonomy"]:
        found = category(term["id"], term["name"], term.get("description", ""))
        found.name_pl = found.name_pl or term.get("name_pl", "")
        found.description_pl = found.description_pl or term.get("description_pl", "")
    db.session.flush()
    existing_orgs = set(db.session.scalars(select(Organisation.oruk_id)))
    existing_services = set(db.session.scalars(select(Service.oruk_id)))
    areas = {a.code: a for a in db.session.scalars(select(Area))}
    provider = _provider(provider_email)
    orgs_created = services_created = 0
    new_locations: list[Location] = []
    for org_data in data["organisations"]:
        if derived("organisation", org_data["id"]) in existing_orgs:
            continue
        org = _organisation(org_data)
        orgs_created += 1
        if provider and org_data.get("claimed_by_demo_provider"):
            db.session.add(
                OrganisationMember(
                    organisation=org, user=provider, status="approved", decided_at=utcnow()
                )
            )
        for service_data in org_data["services"]:
            if derived("service", service_data["id"]) in existing_services:
                continue
            service = _service(service_data, org, today, areas)
            new_locations.extend(service.locations)
            services_created += 1
    assign_areas(new_locations)
    return orgs_created, services_created


def _provider(email: str | None) -> User | None:
    if not email:
        return None
    return db.session.scalar(select(User).where(User.email == email))


def _organisation(data: dict[str, Any]) -> Organisation:
    oruk_id = derived("organisation", data["id"])
    org = Organisation(
        oruk_id=oruk_id,
        name=data["name"],
        description=data["description"],
        email=data.get("email"),
        website=data.get("website"),
    )
    if data.get("phone"):
        org.phones = [Phone(oruk_id=derived("phone", oruk_id), number=data["phone"])]
    db.session.add(org)
    return org


def _service(
    data: dict[str, Any], org: Organisation, today: date, areas: dict[str, Area]
) -> Service:
    oruk_id = derived("service", data["id"])
    service = Service(
        oruk_id=oruk_id,
        organisation=org,
        name=data["name"],
        description=data["description"],
        status=data["status"],
        eligibility=data.get("eligibility") or "",
        minimum_age=data.get("minimum_age"),
        maximum_age=data.get("maximum_age"),
        free=data["free"],
        cost_description=data.get("cost_description"),
        access=data["access"],
        prevention_level=data["prevention_level"],
        email=data.get("email"),
        url=data.get("url"),
        virtual=bool(data.get("virtual")),
        assured_date=today - timedelta(days=int(data["assured_days_ago"])),
        assured_by=data.get("assured_by") or "",
        is_demo=True,
    )
    db.session.add(service)
    service.taxonomy_terms = [db.session.get_one(TaxonomyTerm, c) for c in data["categories"]]
    service.languages = [
        ServiceLanguage(oruk_id=derived("language", oruk_id, code), code=code)
        for code in data.get("languages") or ["en"]
    ]
    if data.get("phone"):
        service.phones = [Phone(oruk_id=derived("phone", oruk_id), number=data["phone"])]
    service.locations = [
        _location(loc, derived("location", oruk_id, n), data.get("accessibility") or [])
        for n, loc in enumerate(data.get("locations", []))
    ]
    service.service_areas = [
        areas[code] for code in data.get("service_area_codes", []) if code in areas
    ]
    service.schedules = [
        Schedule(oruk_id=derived("schedule", oruk_id, n), freq="WEEKLY", **s)
        for n, s in enumerate(data.get("schedules", []))
    ]
    return service


def _location(data: dict[str, Any], oruk_id: str, features: list[str]) -> Location:
    keys = ("name", "address_1", "city", "postcode", "latitude", "longitude")
    location = Location(
        oruk_id=oruk_id,
        address_oruk_id=derived("address", oruk_id),
        location_type="physical" if data.get("physical", True) else "virtual",
        **{key: data[key] for key in keys if key in data},
    )
    location.accessibility = [
        LocationAccessibility(
            oruk_id=derived("accessibility", oruk_id, feature),
            feature=feature,
            description=AccessibilityFeature(feature).english,
        )
        for feature in features
    ]
    return location
