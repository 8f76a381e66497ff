"""How a listing's many-valued parts change when someone edits it: the records that stay
the same keep their ids, and what the edit cannot show (another directory's terms, monthly
schedules, second phone numbers) is kept."""

import re

from engage.asset_map.models import (
    Organisation,
    Phone,
    Schedule,
    Service,
    ServiceLanguage,
    TaxonomyTerm,
)
from engage.extensions import db

# A service's own single-valued fields, as forms, files and edits name them.
PLAIN = (
    "name",
    "description",
    "status",
    "eligibility",
    "minimum_age",
    "maximum_age",
    "free",
    "access",
    "prevention_level",
)
DAY = r"(?:MO|TU|WE|TH|FR|SA|SU)"
OPENING = re.compile(
    rf"^({DAY}(?:,{DAY})*)\s+([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-3]):([0-5]\d)$"
)


def schedule_line(schedule: Schedule) -> str:
    return f"{schedule.byday} {schedule.opens_at}-{schedule.closes_at}"


def is_simple(schedule: Schedule) -> bool:
    """Weekly opening times the form edits as lines; others (monthly, seasonal, at one
    place…) are kept as they are."""
    plain = (
        schedule.freq in (None, "WEEKLY")
        and (schedule.interval or 1) == 1
        and not schedule.bymonthday
        and schedule.location_id is None
        and schedule.dtstart is None
        and schedule.valid_from is None
        and schedule.valid_to is None
    )
    return plain and bool(OPENING.match(schedule_line(schedule)))


def replace_opening_times(service: Service, lines: list[str]) -> None:
    """The service's weekly opening times become these lines (checked by
    parse_opening_times); unchanged lines keep their record, other schedules stay."""
    kept = [s for s in service.schedules if not is_simple(s)]
    current = {schedule_line(s): s for s in service.schedules if is_simple(s)}
    service.schedules = kept + [current.get(line) or _schedule(line) for line in lines]


def _schedule(line: str) -> Schedule:
    days, times = line.split(" ")
    opens, closes = times.split("-")
    return Schedule(byday=days, opens_at=opens, closes_at=closes, freq="WEEKLY")


def set_phone(owner: Service | Organisation, number: str | None) -> None:
    """The first (main) phone number becomes `number`; other numbers stay."""
    if owner.phones and number:
        owner.phones[0].number = number
    elif owner.phones:
        owner.phones.remove(owner.phones[0])
    elif number:
        owner.phones.append(Phone(number=number))


def set_languages(service: Service, codes: list[str]) -> None:
    """The languages become these codes; ones already there keep their record."""
    current = {language.code: language for language in service.languages}
    service.languages = [current.get(code) or ServiceLanguage(code=code) for code in codes]


def set_categories(service: Service, ids: list[str]) -> None:
    """Our categories become these; other directories' terms stay."""
    others = [term for term in service.taxonomy_terms if not term.is_category]
    service.taxonomy_terms = others + [db.session.get_one(TaxonomyTerm, c) for c in ids]
