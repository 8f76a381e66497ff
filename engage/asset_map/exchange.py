"""Bulk import and export of the directory: our CSV template and Open Referral UK JSON.
A file is checked whole first; any bad row is named by line and field and nothing is saved."""

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.asset_map import oruk
from engage.asset_map.editing import (
    EditError,
    coordinate_message,
    parse_opening_times,
    schedules_from_lines,
)
from engage.asset_map.locations import assign_areas
from engage.asset_map.models import (
    Access,
    Location,
    Organisation,
    PreventionLevel,
    Service,
    ServiceStatus,
    TaxonomyTerm,
)
from engage.database import transactional
from engage.exporting import SafeDictWriter
from engage.extensions import db
from engage.geo.geometry import coordinate_problem
from engage.geo.places import normalise_postcode
from engage.importing import ImportFailed, Problem, csv_rows

COLUMNS = [
    "service_id",
    "organisation",
    "name",
    "description",
    "categories",
    "status",
    "minimum_age",
    "maximum_age",
    "free",
    "cost",
    "access",
    "languages",
    "prevention_level",
    "eligibility",
    "email",
    "phone",
    "url",
    "location_name",
    "address",
    "city",
    "postcode",
    "latitude",
    "longitude",
    "opening_times",
    "assured_date",
]
REQUIRED = {"organisation", "name", "description", "categories"}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


@dataclass
class ImportResult:
    created: int
    updated: int


class _Row:
    """One CSV row checked field by field; problems are collected, not raised."""

    def __init__(self, line: int, row: dict[str, str], terms: set[str]) -> None:
        self.line, self.row, self.terms = line, row, terms
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = {}

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.line, field, message))

    def check(self) -> "_Row":
        row = self.row
        for field in sorted(REQUIRED):
            if not row.get(field):
                self.problem(field, _("this must not be empty"))
        self._choice("status", ServiceStatus.ALL, ServiceStatus.ACTIVE)
        self._choice("access", Access.ALL, Access.SELF_REFERRAL)
        self._choice("prevention_level", PreventionLevel.ALL, PreventionLevel.PRIMARY)
        self._ages()
        self._cost()
        self._categories()
        self._place()
        self._opening_times()
        self._assured()
        for field in (
            "name",
            "description",
            "eligibility",
            "email",
            "phone",
            "url",
            "organisation",
            "service_id",
            "location_name",
            "address",
            "city",
        ):
            self.values[field] = row.get(field, "")
        self.values["languages"] = [
            c.strip().lower() for c in row.get("languages", "").split(";") if c.strip()
        ] or ["en"]
        return self

    def _choice(self, field: str, allowed: Iterable[str], default: str) -> None:
        value = self.row.get(field, "").strip().lower().replace(" ", "_") or default
        if value not in allowed:
            self.problem(field, _("use one of: %(values)s", values=", ".join(allowed)))
        self.values[field] = value

    def _int(self, field: str) -> int | None:
        raw = self.row.get(field, "")
        if not raw:
            return None
        if not raw.isdigit() or int(raw) > 120:
            self.problem(field, _("use a whole number from 0 to 120"))
            return None
        return int(raw)

    def _ages(self) -> None:
        low, high = self._int("minimum_age"), self._int("maximum_age")
        if low is not None and high is not None and low > high:
            self.problem("maximum_age", _("the maximum age is less than the minimum age"))
        self.values["minimum_age"], self.values["maximum_age"] = low, high

    def _cost(self) -> None:
        raw = self.row.get("free", "").strip().lower()
        if raw not in YES | NO:
            self.problem("free", _("use yes or no"))
        free = raw in YES or (raw == "" and not self.row.get("cost"))
        if not free and not self.row.get("cost"):
            self.problem("cost", _("say what it costs, or put yes in the free column"))
        self.values["free"], self.values["cost_description"] = free, self.row.get("cost") or None

    def _categories(self) -> None:
        ids = [c.strip() for c in self.row.get("categories", "").split(";") if c.strip()]
        unknown = [c for c in ids if c not in self.terms]
        if unknown:
            self.problem("categories", _("unknown categories: %(ids)s", ids=", ".join(unknown)))
        self.values["categories"] = ids

    def _place(self) -> None:
        raw_lat, raw_lon = self.row.get("latitude", ""), self.row.get("longitude", "")
        postcode = self.row.get("postcode", "")
        if postcode and normalise_postcode(postcode) is None:
            self.problem("postcode", _("“%(value)s” is not a UK postcode", value=postcode))
        self.values["postcode"] = normalise_postcode(postcode) or ""
        if not raw_lat and not raw_lon:
            self.values["latitude"] = self.values["longitude"] = None
            return
        try:
            lat, lon = float(raw_lat), float(raw_lon)
        except ValueError:
            self.problem(
                "latitude", coordinate_message("not_finite" if raw_lat and raw_lon else "missing")
            )
            return
        code = coordinate_problem(lat, lon)
        if code:
            self.problem("latitude", coordinate_message(code))
        self.values["latitude"], self.values["longitude"] = lat, lon

    def _opening_times(self) -> None:
        try:
            self.values["opening_times"] = parse_opening_times(self.row.get("opening_times", ""))
        except EditError as error:
            self.problem("opening_times", str(error))

    def _assured(self) -> None:
        raw = self.row.get("assured_date", "")
        try:
            self.values["assured_date"] = date.fromisoformat(raw) if raw else None
        except ValueError:
            self.problem("assured_date", _("use a date like 2026-03-31"))


def read_csv(stream: BinaryIO) -> list[dict[str, Any]]:
    """Every row checked; ImportFailed lists each problem by line and field."""
    terms = set(db.session.scalars(select(TaxonomyTerm.id)))
    checked, problems, seen = [], [], {}
    for line, row in csv_rows(stream, REQUIRED):
        result = _Row(line, row, terms).check()
        service_id = result.values["service_id"]
        if service_id and service_id in seen:
            result.problem(
                "service_id", _("the same service_id is on line %(n)d", n=seen[service_id])
            )
        seen.setdefault(service_id, line) if service_id else None
        problems.extend(result.problems)
        checked.append(result.values)
    if problems:
        raise ImportFailed(problems)
    if not checked:
        raise ImportFailed([Problem(None, None, _("the file has no rows"))])
    return checked


@transactional
def import_csv(stream: BinaryIO) -> ImportResult:
    return _save(read_csv(stream))


def _save(rows: list[dict[str, Any]]) -> ImportResult:
    orgs = {o.name.lower(): o for o in db.session.scalars(select(Organisation))}
    created = updated = 0
    locations: list[Location] = []
    for values in rows:
        service = None
        if values["service_id"]:
            service = db.session.scalar(
                select(Service).where(Service.oruk_id == values["service_id"])
            )
        org = orgs.get(values["organisation"].lower())
        if org is None:
            org = Organisation(name=values["organisation"])
            db.session.add(org)
            orgs[org.name.lower()] = org
        if service is None:
            service = Service(organisation=org, name=values["name"])
            if values["service_id"]:
                service.oruk_id = values["service_id"]
            db.session.add(service)
            created += 1
        else:
            updated += 1
        _fill(service, org, values)
        locations.extend(service.locations)
    assign_areas(locations)
    return ImportResult(created, updated)


def _fill(service: Service, org: Organisation, values: dict[str, Any]) -> None:
    service.organisation = org
    for key in (
        "name",
        "description",
        "status",
        "eligibility",
        "minimum_age",
        "maximum_age",
        "free",
        "cost_description",
        "access",
        "prevention_level",
        "assured_date",
    ):
        setattr(service, key, values[key])
    for key in ("email", "phone", "url"):
        setattr(service, key, values[key] or None)
    service.languages = "," + ",".join(values["languages"]) + ","
    service.taxonomy_terms = [db.session.get(TaxonomyTerm, c) for c in values["categories"]]
    service.schedules = schedules_from_lines(values["opening_times"])
    if values["address"] or values["latitude"] is not None or values["postcode"]:
        location = service.locations[0] if service.locations else Location()
        location.name, location.address_1 = values["location_name"], values["address"]
        location.city, location.postcode = values["city"], values["postcode"]
        location.latitude, location.longitude = values["latitude"], values["longitude"]
        service.locations = [location] + service.locations[1:]
    service.virtual = not service.locations


def _all_services() -> list[Service]:
    query = (
        select(Service)
        .order_by(Service.name)
        .options(
            selectinload(Service.organisation),
            selectinload(Service.locations),
            selectinload(Service.taxonomy_terms),
            selectinload(Service.schedules),
            selectinload(Service.service_areas),
        )
    )
    return list(db.session.scalars(query))


def export_csv() -> str:
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for service in _all_services():
        loc = service.locations[0] if service.locations else None
        writer.writerow(
            {
                "service_id": service.oruk_id,
                "organisation": service.organisation.name,
                "name": service.name,
                "description": service.description,
                "categories": ";".join(t.id for t in service.taxonomy_terms),
                "status": service.status,
                "minimum_age": service.minimum_age or "",
                "maximum_age": service.maximum_age or "",
                "free": "yes" if service.free else "no",
                "cost": service.cost_description or "",
                "access": service.access,
                "languages": ";".join(service.language_codes),
                "prevention_level": service.prevention_level,
                "eligibility": service.eligibility,
                "email": service.email or "",
                "phone": service.phone or "",
                "url": service.url or "",
                "location_name": loc.name if loc else "",
                "address": loc.address_1 if loc else "",
                "city": loc.city if loc else "",
                "postcode": loc.postcode if loc else "",
                "latitude": loc.latitude if loc and loc.latitude is not None else "",
                "longitude": loc.longitude if loc and loc.longitude is not None else "",
                "opening_times": "; ".join(
                    f"{s.byday} {s.opens_at}-{s.closes_at}" for s in service.schedules
                ),
                "assured_date": service.assured_date.isoformat() if service.assured_date else "",
            }
        )
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(
        {
            "organisation": "Rothwell Youth Club",
            "name": "Friday youth night",
            "description": "Games, sport and a safe place to meet friends.",
            "categories": "youth-activities;sport",
            "status": "active",
            "minimum_age": "11",
            "maximum_age": "18",
            "free": "yes",
            "access": "self_referral",
            "languages": "en;pl",
            "prevention_level": "primary",
            "email": "hello@example.org",
            "phone": "01632 960123",
            "location_name": "Community centre",
            "address": "1 High Street",
            "city": "Rothwell",
            "postcode": "NN14 6AB",
            "latitude": "52.4224",
            "longitude": "-0.8004",
            "opening_times": "FR 18:00-21:00",
            "assured_date": "2026-11-01",
        }
    )
    return out.getvalue()


def export_oruk() -> str:
    return json.dumps([oruk.service_full(s) for s in _all_services()], indent=1, default=str)


def read_oruk(data: Any) -> list[dict[str, Any]]:
    """Rows in our CSV shape from ORUK service JSON (a list, or a page with `contents`)."""
    items = data.get("contents") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ImportFailed([Problem(None, None, _("the file has no Open Referral UK services"))])
    rows = []
    for item in items:
        org = item.get("organization") or {}
        sal = (item.get("service_at_locations") or [{}])[0].get("location") or {}
        address = (sal.get("addresses") or [{}])[0]
        rows.append(
            {
                "service_id": str(item.get("id") or ""),
                "organisation": str(org.get("name") or ""),
                "name": str(item.get("name") or ""),
                "description": str(item.get("description") or ""),
                "categories": ";".join(
                    a["taxonomy_term"]["id"]
                    for a in item.get("attributes") or []
                    if a.get("taxonomy_term")
                ),
                "status": oruk.STATUS_BACK.get(
                    item.get("status", "active"), item.get("status", "")
                ),
                "minimum_age": str(item.get("minimum_age") or ""),
                "maximum_age": str(item.get("maximum_age") or ""),
                "free": "no" if item.get("fees_description") else "yes",
                "cost": item.get("fees_description") or "",
                "access": item.get("application_process") or "",
                "languages": ";".join(lang.get("code", "") for lang in item.get("languages") or []),
                "prevention_level": item.get("prevention_level") or "",
                "eligibility": item.get("eligibility_description") or "",
                "email": item.get("email") or "",
                "phone": ((item.get("phones") or [{}])[0]).get("number") or "",
                "url": item.get("url") or "",
                "location_name": sal.get("name") or "",
                "address": address.get("address_1") or "",
                "city": address.get("city") or "",
                "postcode": address.get("postal_code") or "",
                "latitude": "" if sal.get("latitude") is None else str(sal["latitude"]),
                "longitude": "" if sal.get("longitude") is None else str(sal["longitude"]),
                "opening_times": "; ".join(
                    f"{s.get('byday')} {s.get('opens_at')}-{s.get('closes_at')}"
                    for s in item.get("schedules") or []
                ),
                "assured_date": item.get("assured_date") or "",
            }
        )
    return rows


@transactional
def import_oruk(stream: BinaryIO) -> ImportResult:
    try:
        data = json.load(io.TextIOWrapper(stream, encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(
            [Problem(None, None, _("the file is not valid JSON (%(error)s)", error=error))]
        ) from None
    rows = read_oruk(data)
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    # Line numbers in problems then count services: line 2 is the first service.
    return _save(read_csv(io.BytesIO(out.getvalue().encode("utf-8"))))
