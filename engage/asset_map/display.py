"""How services read on the page: distances, ages, opening times, cost and freshness."""

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names
from babel.numbers import format_decimal
from flask_babel import gettext as _

from engage.asset_map.search import DAYS, freshness
from engage.i18n import current_locale


def distance(metres: float | None) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return _("%(m)s m away", m=format_decimal(round(metres, -1), locale=current_locale()))
    km = format_decimal(round(metres / 1000, 1), format="#,##0.0", locale=current_locale())
    return _("%(km)s km away", km=km)


def age_range(minimum: int | None, maximum: int | None) -> str:
    if minimum is None and maximum is None:
        return _("All ages")
    if maximum is None:
        return _("%(min)d and over", min=minimum)
    if minimum is None:
        return _("Up to %(max)d", max=maximum)
    return _("%(min)d to %(max)d", min=minimum, max=maximum)


def day_name(code: str, width: str = "wide") -> str:
    names = get_day_names(width, locale=current_locale())
    return names[DAYS.index(code)] if code in DAYS else code


def opening_times(schedules) -> list[str]:
    ordered = sorted(
        schedules, key=lambda s: (DAYS.index(s.byday) if s.byday in DAYS else 9, s.opens_at)
    )
    return [f"{day_name(s.byday)} {s.opens_at}–{s.closes_at}" for s in ordered]


def cost(service) -> str:
    if service.free:
        return _("Free")
    return service.cost_description or _("There is a cost")


def freshness_label(assured, today, for_officers: bool = False) -> str:
    """The public see a label only after 12 months; officers also see "due" after 6."""
    state = freshness(assured, today)
    if state == "out_of_date":
        return _("May be out of date")
    if state == "due" and for_officers:
        return _("Due for a check")
    return ""


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(current_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def accessibility_name(code: str) -> str:
    names = {
        "step_free_access": _("Step-free access"),
        "accessible_toilet": _("Accessible toilet"),
        "hearing_loop": _("Hearing loop"),
        "bsl": _("British Sign Language"),
        "parking": _("Parking"),
        "public_transport": _("Near public transport"),
    }
    return names.get(code, code)


def area_level_name(level: str) -> str:
    names = {
        "lap": _("Local Area Partnership"),
        "ward": _("Ward"),
        "lsoa": _("Small area (LSOA)"),
    }
    return names.get(level, level)


def problem_kind_name(kind: str) -> str:
    names = {
        "closed": _("The service has closed or stopped"),
        "wrong_details": _("Some details are wrong"),
        "not_in_area": _("It is not in this area"),
        "other": _("Something else"),
    }
    return names.get(kind, kind)


def field_name(field: str) -> str:
    names = {
        "name": _("Name"),
        "description": _("What it offers"),
        "status": _("Is it running?"),
        "eligibility": _("Who it is for"),
        "minimum_age": _("Youngest age"),
        "maximum_age": _("Oldest age"),
        "free": _("Free"),
        "cost_description": _("Cost"),
        "access": _("How people get support"),
        "languages": _("Languages"),
        "prevention_level": _("Prevention level"),
        "email": _("Email"),
        "phone": _("Phone"),
        "url": _("Website"),
        "categories": _("Type of support"),
        "opening_times": _("Opening times"),
        "assured_date": _("Last checked"),
    }
    return names.get(field, field)


def show_value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def revision_source_name(source: str) -> str:
    names = {
        "officer": _("edited by an officer"),
        "proposal": _("change proposed by the provider, approved"),
        "confirm": _("confirmed still correct"),
        "import": _("imported"),
    }
    return names.get(source, source)


def register(app) -> None:
    app.jinja_env.filters.update(
        distance=distance,
        age_range=age_range,
        day_name=day_name,
        opening_times=opening_times,
        cost=cost,
        language_name=language_name,
        accessibility_name=accessibility_name,
        show_value=show_value,
    )
    app.jinja_env.globals.update(
        freshness_label=freshness_label,
        freshness=freshness,
        area_level_name=area_level_name,
        problem_kind_name=problem_kind_name,
        field_name=field_name,
        revision_source_name=revision_source_name,
    )
