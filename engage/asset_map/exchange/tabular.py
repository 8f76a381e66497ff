"""HSDS 3.0 tabular data (the CSV files of a data package: services.csv, organizations.csv,
locations.csv…), in a .zip or a folder, joined back into nested services by their ids so
they are checked and saved the same way as JSON. Each record remembers its file and line."""

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from flask_babel import gettext as _

from engage.asset_map.exchange.documents import Item
from engage.asset_map.exchange.report import ImportReport
from engage.importing import ImportFailed, Problem

MAX_UNPACKED = 200 * 1024 * 1024
# The standard's file names, with the other spellings publishers use.
TABLES = {
    "organizations": ("organizations", "organization"),
    "services": ("services", "service"),
    "locations": ("locations", "location"),
    "service_at_locations": ("service_at_locations", "service_at_location"),
    "addresses": ("addresses", "address"),
    "phones": ("phones", "phone"),
    "schedules": ("schedules", "schedule"),
    "taxonomies": ("taxonomies", "taxonomy"),
    "taxonomy_terms": ("taxonomy_terms", "taxonomy_term"),
    "attributes": ("attributes", "attribute"),
    "languages": ("languages", "language"),
    "cost_options": ("cost_options", "cost_option"),
    "funding": ("funding", "fundings"),
    "contacts": ("contacts", "contact"),
    "service_areas": ("service_areas", "service_area"),
    "accessibility": ("accessibility", "accessibilities", "accessibility_for_disabilities"),
    "organization_identifiers": ("organization_identifiers", "organization_identifier"),
}
NAMES = {alias: table for table, aliases in TABLES.items() for alias in aliases}


class Tables:
    """The rows of each table, each a dict of the non-empty cells."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.origins: dict[int, str] = {}
        for name, raw in files.items():
            table = NAMES.get(PurePosixPath(name).stem.lower())
            if table is not None:
                self._read(table, PurePosixPath(name).name, raw)
        if not self.rows.get("services"):
            message = _("the package has no services.csv (or it is empty)")
            raise ImportFailed([Problem(None, None, message)])

    def _read(self, table: str, filename: str, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("the file is not UTF-8 text; save it as “CSV UTF-8” and try again")
            raise ImportFailed([Problem(None, filename, message)]) from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            for row in reader:
                cells = {
                    k.strip(): v for k, v in row.items() if k and isinstance(v, str) and v.strip()
                }
                self.rows[table].append(cells)
                self.origins[id(cells)] = f"{filename} line {reader.line_num}"
        except csv.Error as error:
            message = _("not valid CSV (%(error)s)", error=error)
            raise ImportFailed([Problem(reader.line_num, filename, message)]) from None

    def by(self, table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows.get(table, []):
            if row.get(key):
                found[row[key]].append(row)
        return found

    def where(self, row: dict[str, Any]) -> str:
        return self.origins.get(id(row), "")


def read_zip(raw: bytes) -> dict[str, bytes]:
    """The CSV files of a zipped data package (refusing archives that unpack too large)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
        if sum(m.file_size for m in members) > MAX_UNPACKED:
            message = _("the package unpacks to more than 200 MB")
            raise ImportFailed([Problem(None, None, message)])
        return {m.filename: archive.read(m) for m in members}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        message = _("the file is not a .zip data package")
        raise ImportFailed([Problem(None, None, message)]) from None


def items(files: dict[str, bytes], report: ImportReport) -> list[Item]:
    """Each service of the package nested as Open Referral UK JSON nests it."""
    tables = Tables(files)
    builder = _Builder(tables, report)
    return list(builder.services())


class _Builder:
    def __init__(self, tables: Tables, report: ImportReport) -> None:
        self.t, self.report = tables, report
        self.used: set[int] = set()
        self.origins = dict(tables.origins)

    def _copy(self, row: dict[str, Any], **nested: Any) -> dict[str, Any]:
        """The row with its nested records, remembered as coming from the row's line."""
        self.used.add(id(row))
        copy = {**row, **nested}
        self.origins[id(copy)] = self.t.where(row)
        return copy

    def _take(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row in rows:
            self.used.add(id(row))
        return rows

    def _phones(self, key: str, value: str) -> list[dict[str, Any]]:
        languages = self.t.by("languages", "phone_id")
        return [
            self._copy(p, languages=self._take(languages.get(p.get("id", ""), [])))
            for p in self.t.by("phones", key).get(value, [])
        ]

    def _organisation(self, org_id: str) -> dict[str, Any] | None:
        found = next(
            (o for o in self.t.rows.get("organizations", []) if o.get("id") == org_id), None
        )
        if found is None:
            return None
        return self._copy(
            found,
            organization_identifiers=self._take(
                self.t.by("organization_identifiers", "organization_id").get(org_id, [])
            ),
            phones=self._phones("organization_id", org_id),
            contacts=self._contacts("organization_id", org_id),
            funding=self._take(self.t.by("funding", "organization_id").get(org_id, [])),
        )

    def _contacts(self, key: str, value: str) -> list[dict[str, Any]]:
        return [
            self._copy(c, phones=self._phones("contact_id", c.get("id", "")))
            for c in self.t.by("contacts", key).get(value, [])
        ]

    def _location(self, location_id: str) -> dict[str, Any] | None:
        found = next(
            (x for x in self.t.rows.get("locations", []) if x.get("id") == location_id), None
        )
        if found is None:
            return None
        return self._copy(
            found,
            addresses=self._take(self.t.by("addresses", "location_id").get(location_id, [])),
            accessibility=self._take(
                self.t.by("accessibility", "location_id").get(location_id, [])
            ),
            phones=self._phones("location_id", location_id),
        )

    def _attributes(self, service_id: str) -> list[dict[str, Any]]:
        terms = {t["id"]: t for t in self.t.rows.get("taxonomy_terms", []) if t.get("id")}
        taxonomies = {t["id"]: t for t in self.t.rows.get("taxonomies", []) if t.get("id")}
        found = []
        for attribute in self.t.by("attributes", "link_id").get(service_id, []):
            term = terms.get(attribute.get("taxonomy_term_id", ""))
            if term is None:
                continue
            self.used.add(id(term))
            taxonomy = taxonomies.get(term.get("taxonomy_id", ""))
            if taxonomy is not None:
                self.used.add(id(taxonomy))
                term = self._copy(term, taxonomy=term.get("taxonomy") or taxonomy.get("name"))
            found.append(self._copy(attribute, taxonomy_term=term))
        return found

    def services(self) -> Iterator[Item]:
        places = self.t.by("service_at_locations", "service_id")
        by_service = {
            table: self.t.by(table, "service_id")
            for table in ("schedules", "languages", "cost_options", "funding", "service_areas")
        }
        for row in self.t.rows["services"]:
            sid = row.get("id", "")
            service = self._copy(
                row,
                **{table: self._take(rows.get(sid, [])) for table, rows in by_service.items()},
                phones=self._phones("service_id", sid),
                contacts=self._contacts("service_id", sid),
                attributes=self._attributes(sid),
                service_at_locations=[
                    self._copy(at, location=self._location(at.get("location_id", "")))
                    for at in places.get(sid, [])
                ],
            )
            organisation = self._organisation(row.get("organization_id", ""))
            if organisation is not None:
                service["organization"] = organisation
            yield Item(self.t.where(row), service, self.origins)
        for table, rows in self.t.rows.items():
            for row in rows:
                if id(row) not in self.used:
                    self.report.leave_aside(self.t.where(row), f"a row of {table} no service uses")
