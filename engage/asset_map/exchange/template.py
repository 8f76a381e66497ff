"""Our CSV template: one row a service, for officers who keep the directory in a
spreadsheet. A file is checked whole first; any bad row is named by line and field and
nothing is saved."""

import io
from collections.abc import Iterable
from datetime import date
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from engage.asset_map import loading
from engage.asset_map.editing import EditError, coordinate_message, parse_opening_times
from engage.asset_map.exchange.identity import known_as, new_id
from engage.asset_map.exchange.report import ImportReport, Progress, no_progress
from engage.asset_map.fields import (
    PLAIN,
    is_simple,
    replace_opening_times,
    schedule_line,
    set_categories,
    set_languages,
    set_phone,
)
from engage.asset_map.locations import assign_areas
from engage.asset_map.models import Location, Organisation, Service, TaxonomyTerm
from engage.asset_map.vocabulary import Access, PreventionLevel, ServiceStatus
from engage.database import utcnow
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
CHUNK = 500
TEXT_LIMITS = {
    "name": 200,
    "organisation": 200,
    "email": 254,
    "phone": 40,
    "url": 300,
    "location_name": 200,
    "address": 200,
    "city": 100,
    "service_id": 200,
}


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
        self._choice("status", list(ServiceStatus), ServiceStatus.ACTIVE)
        self._choice("access", list(Access), Access.SELF_REFERRAL)
        self._choice("prevention_level", list(PreventionLevel), PreventionLevel.PRIMARY)
        self._limits()
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

    def _limits(self) -> None:
        for field, limit in TEXT_LIMITS.items():
            if len(self.row.get(field, "")) > limit:
                self.problem(field, _("use %(n)s characters or fewer", n=limit))
        for field, value in self.row.items():
            if "\x00" in value:
                self.problem(field, _("this contains a NUL character, which text cannot hold"))
        url = self.row.get("url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            self.problem("url", _("use a web address starting with https:// or http://"))

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


def read_csv(stream: BinaryIO, progress: Progress = no_progress) -> list[dict[str, Any]]:
    """Every row checked; ImportFailed lists each problem by line and field."""
    terms = set(
        db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.vocabulary == "engage"))
    )
    checked, problems = [], []
    seen: dict[str, int] = {}
    for line, row in csv_rows(stream, REQUIRED):
        if line % CHUNK == 0:
            progress(line, 0, "checking")
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


def import_csv(stream: BinaryIO, progress: Progress = no_progress) -> ImportReport:
    """Check the whole file, then save it a chunk of rows at a time (committed as it goes,
    so a long import does not hold the database for minutes)."""
    rows = read_csv(stream, progress)
    report = ImportReport()
    orgs = {o.name.lower(): o for o in db.session.scalars(select(Organisation))}
    for start in range(0, len(rows), CHUNK):
        _save(rows[start : start + CHUNK], orgs, report)
        db.session.commit()
        progress(min(start + CHUNK, len(rows)), len(rows), "saving")
    return report


def _save(rows: list[dict[str, Any]], orgs: dict[str, Organisation], report: ImportReport) -> None:
    ids = known_as("service", [v["service_id"] for v in rows])
    existing = {
        s.oruk_id: s
        for s in db.session.scalars(
            select(Service).where(Service.oruk_id.in_(ids.values())).options(*loading.listing())
        )
    }
    locations: list[Location] = []
    for values in rows:
        service = existing.get(ids.get(values["service_id"], ""))
        org = orgs.get(values["organisation"].lower())
        if org is None:
            org = Organisation(name=values["organisation"])
            db.session.add(org)
            orgs[org.name.lower()] = org
            report.organisations_created += 1
        if service is None:
            service = Service(organisation=org, name=values["name"])
            service.oruk_id = new_id("service", values["service_id"])
            db.session.add(service)
            report.created += 1
        else:
            report.updated += 1
        _fill(service, org, values)
        locations.extend(service.locations)
    assign_areas(locations)


def _fill(service: Service, org: Organisation, values: dict[str, Any]) -> None:
    service.organisation = org
    for key in (*PLAIN, "cost_description", "assured_date"):
        setattr(service, key, values[key])
    for key in ("email", "url"):
        setattr(service, key, values[key] or None)
    set_phone(service, values["phone"] or None)
    set_languages(service, values["languages"])
    set_categories(service, values["categories"])
    replace_opening_times(service, values["opening_times"])
    service.updated_at = utcnow()
    if values["address"] or values["latitude"] is not None or values["postcode"]:
        location = service.locations[0] if service.locations else Location()
        location.name, location.address_1 = values["location_name"], values["address"]
        location.city, location.postcode = values["city"], values["postcode"]
        location.latitude, location.longitude = values["latitude"], values["longitude"]
        service.locations = [location] + service.locations[1:]
    service.virtual = not service.locations


def _all_services() -> list[Service]:
    query = select(Service).order_by(Service.name).options(*loading.listing())
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
                "categories": ";".join(t.id for t in service.categories),
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
                    schedule_line(s) for s in service.schedules if is_simple(s)
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
