"""Open Referral UK 3.0 JSON as other directories publish it: a single service, a list of
services, a page of an API response (`contents`), or a package (organisations with their
services). Every service is checked against the standard and our limits; every problem is
named by its path, and nothing is imported unless all of them are right."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from engage.asset_map.editing import coordinate_message
from engage.asset_map.oruk import schema as o
from engage.asset_map.oruk.problems import describe
from engage.geo.geometry import coordinate_problem
from engage.geo.places import normalise_postcode
from engage.importing import ImportFailed, Problem

MAX_PROBLEMS = 50
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Item:
    """One service in a file: its raw fields, where it is, and where each nested record came
    from (for tabular files, the file and line of each row)."""

    where: str
    data: dict[str, Any]
    origins: dict[int, str] = field(default_factory=dict)

    def at(self, location: tuple[Any, ...]) -> str:
        """Where a problem at `location` inside this item is, as precisely as known."""
        node: Any = self.data
        where, rest = self.where, list(location)
        for depth, part in enumerate(location):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if id(node) in self.origins:
                where, rest = self.origins[id(node)], list(location[depth + 1 :])
        return "/".join([where, *map(str, rest)]) if rest else where


def load(raw: bytes) -> Any:
    """The file as JSON, or ImportFailed saying why it is not."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        message = _("the file is not UTF-8 text")
    except RecursionError:
        message = _("the file is nested too deeply to be Open Referral UK")
    except ValueError as error:
        message = _("the file is not valid JSON (%(error)s)", error=error)
    raise ImportFailed([Problem(None, None, message)])


def _is_organisation(value: Any) -> bool:
    return isinstance(value, dict) and "services" in value and "status" not in value


def items(data: Any) -> list[Item]:
    """Each service in the document, with where it is, whatever the document's shape."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return list(_from_list(data["contents"], "contents"))
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        message = _("upload a data package as a .zip file holding its CSV files")
        raise ImportFailed([Problem(None, None, message)])
    if _is_organisation(data):
        return list(_from_organisation(data, "organization"))
    if isinstance(data, dict) and ("name" in data or "id" in data):
        return [Item("service", data)]
    if isinstance(data, list):
        return list(_from_list(data, ""))
    message = _(
        "the file is not Open Referral UK: expected a service, a list of services, a page of "
        "an API response (contents) or a package of organisations with their services"
    )
    raise ImportFailed([Problem(None, None, message)])


def _from_list(values: list[Any], prefix: str) -> Iterator[Item]:
    for n, value in enumerate(values):
        where = f"{prefix}/{n}" if prefix else f"{n}"
        if _is_organisation(value):
            yield from _from_organisation(value, where)
        else:
            yield Item(where, value if isinstance(value, dict) else {"__not_an_object__": value})


def _from_organisation(organisation: dict[str, Any], where: str) -> Iterator[Item]:
    services = organisation.get("services")
    if not isinstance(services, list):
        yield Item(where, {"__not_an_object__": services})
        return
    outer = {k: v for k, v in organisation.items() if k != "services"}
    for n, service in enumerate(services):
        if isinstance(service, dict) and "organization" not in service:
            service = {**service, "organization": outer}
        yield Item(
            f"{where}/services/{n}",
            service if isinstance(service, dict) else {"__not_an_object__": service},
        )


def parse(item: Item) -> o.Service:
    return o.Service.model_validate(item.data)


def problems_in(item: Item) -> list[Problem]:
    """Everything wrong with one service, by path."""
    if "__not_an_object__" in item.data:
        return [Problem(None, item.where, _("this must be an object with named fields"))]
    try:
        service = parse(item)
    except ValidationError as error:
        return [
            Problem(None, item.at(e["loc"]), describe(e)) for e in error.errors()[:MAX_PROBLEMS]
        ]
    return [Problem(None, item.at(loc), message) for loc, message in _rules(service)]


def _rules(service: o.Service) -> Iterator[tuple[tuple[Any, ...], str]]:
    """What the standard's schema cannot say but our directory needs."""
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None and low > high:
        yield ("maximum_age",), _("the maximum age is less than the minimum age")
    yield from _web_addresses(service)
    yield from _emails(service)
    for n, at in enumerate(service.service_at_locations or []):
        if at.location is not None:
            yield from _place(at.location, ("service_at_locations", n, "location"))


def _web_addresses(service: o.Service) -> Iterator[tuple[tuple[Any, ...], str]]:
    message = _("use a web address starting with https:// or http://")
    found: list[tuple[tuple[Any, ...], str | None]] = [(("url",), service.url)]
    if service.organization:
        for name in ("website", "logo"):
            found.append((("organization", name), getattr(service.organization, name)))
    for n, schedule in enumerate(service.schedules or []):
        found.append((("schedules", n, "schedule_link"), schedule.schedule_link))
    for n, at in enumerate(service.service_at_locations or []):
        for m, access in enumerate((at.location.accessibility if at.location else None) or []):
            loc = ("service_at_locations", n, "location", "accessibility", m, "url")
            found.append((loc, access.url))
    for loc, value in found:
        if value and not value.lower().startswith(("https://", "http://")):
            yield loc, message


def _emails(service: o.Service) -> Iterator[tuple[tuple[Any, ...], str]]:
    found: list[tuple[tuple[Any, ...], str | None]] = [
        (("email",), service.email),
        (("assurer_email",), service.assurer_email),
    ]
    if service.organization:
        found.append((("organization", "email"), service.organization.email))
    for n, contact in enumerate(service.contacts or []):
        found.append((("contacts", n, "email"), contact.email))
    for loc, value in found:
        if value and not EMAIL.match(value):
            yield loc, _("this is not an email address")


def _place(location: o.Location, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    lat, lon = location.latitude, location.longitude
    if (lat is None) != (lon is None):
        yield (*loc, "latitude"), coordinate_message("missing")
    elif lat is not None and lon is not None:
        code = coordinate_problem(lat, lon)
        if code:
            yield (*loc, "latitude"), coordinate_message(code)
    for n, address in enumerate(location.addresses or []):
        if address.country.upper() == "GB" and normalise_postcode(address.postal_code) is None:
            message = _("“%(value)s” is not a UK postcode", value=address.postal_code)
            yield (*loc, "addresses", n, "postal_code"), message


def left_aside(record: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple, str]]:
    """Fields of the file this directory does not keep, by where they are (a note in the
    report, not a problem). Ids that only join tables (`service_id`…) are not data."""
    for name, value in (record.model_extra or {}).items():
        if value not in (None, "", [], {}) and not name.endswith("_id"):
            yield (*loc, name), _("a field this directory does not keep")
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            yield from left_aside(value, (*loc, name))
        elif isinstance(value, list):
            for n, child in enumerate(value):
                if isinstance(child, BaseModel):
                    yield from left_aside(child, (*loc, name, n))
