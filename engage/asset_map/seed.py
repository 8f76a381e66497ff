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
    Organisation,
    OrganisationMember,
    Schedule,
    Service,
    TaxonomyTerm,
)
from engage.database import transactional, utcnow
from engage.extensions import db
from engage.geo.models import Area

SEED = Path(__file__).resolve().parent.parent.parent / "seed_assets"


def _wrap(codes: list[str]) -> str:
    return "," + ",".join(codes) + ","


@transactional
def load_demo_directory(
    today: date, provider_email: str | None, path: Path = SEED / "services.json"
) -> tuple[int, int]:
    """Create the demo taxonomy, organisations and services that are missing; returns
    (organisations created, services created). Existing records are left as they are, so
    edits made while trying the demo survive a reload."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for term in data["taxonomy"]:
        if db.session.get(TaxonomyTerm, term["id"]) is None:
            db.session.add(
                TaxonomyTerm(
                    id=term["id"], name=term["name"], description=term.get("description", "")
                )
            )
    db.session.flush()
    existing_orgs = set(db.session.scalars(select(Organisation.oruk_id)))
    existing_services = set(db.session.scalars(select(Service.oruk_id)))
    areas = {a.code: a for a in db.session.scalars(select(Area))}
    provider = _provider(provider_email)
    orgs_created = services_created = 0
    new_locations: list[Location] = []
    for org_data in data["organisations"]:
        if org_data["id"] in existing_orgs:
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
            if service_data["id"] in existing_services:
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
    org = Organisation(
        oruk_id=data["id"],
        name=data["name"],
        description=data["description"],
        email=data.get("email"),
        phone=data.get("phone"),
        website=data.get("website"),
    )
    db.session.add(org)
    return org


def _service(
    data: dict[str, Any], org: Organisation, today: date, areas: dict[str, Area]
) -> Service:
    service = Service(
        oruk_id=data["id"],
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
        languages=_wrap(data.get("languages") or ["en"]),
        accessibility=_wrap(data.get("accessibility") or []),
        prevention_level=data["prevention_level"],
        email=data.get("email"),
        phone=data.get("phone"),
        url=data.get("url"),
        virtual=bool(data.get("virtual")),
        assured_date=today - timedelta(days=int(data["assured_days_ago"])),
        assured_by=data.get("assured_by") or "",
        is_demo=True,
    )
    db.session.add(service)
    service.taxonomy_terms = [db.session.get(TaxonomyTerm, c) for c in data["categories"]]
    service.locations = [Location(**_location_fields(loc)) for loc in data.get("locations", [])]
    service.service_areas = [
        areas[code] for code in data.get("service_area_codes", []) if code in areas
    ]
    service.schedules = [Schedule(**s) for s in data.get("schedules", [])]
    return service


def _location_fields(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "address_1", "city", "postcode", "latitude", "longitude", "physical")
    return {key: data[key] for key in keys if key in data}
