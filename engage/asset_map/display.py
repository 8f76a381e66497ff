"""How services read on the page: distances, ages, opening times, cost and freshness."""

from typing import Literal
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names
from babel.numbers import format_decimal
from flask_babel import gettext as _

from engage.asset_map.opening_times import describe as describe_opening_times
from engage.asset_map.search import freshness
from engage.asset_map.vocabulary import DAYS, AccessibilityFeature, ProblemKind
from engage.i18n import current_locale, london_now


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


def day_name(code: str, width: Literal["abbreviated", "narrow", "short", "wide"] = "wide") -> str:
    names = get_day_names(width, locale=current_locale())
    return names[DAYS.index(code)] if code in DAYS else code


def opening_times(schedules) -> list[str]:
    """The schedules as people read them, in the reader's language (see opening_times.py)."""
    return describe_opening_times(schedules, current_locale(), london_now().date())


def where(service, hit=None, show_distance: bool = True) -> list[str]:
    """Where a service is, each part a phrase of its own: how far, the address of its place
    nearest the search, whether it covers the area, whether it works by phone or online."""
    parts = []
    if hit is not None and show_distance and hit.distance_m is not None:
        parts.append(distance(hit.distance_m))
    chosen = hit.location_id if hit is not None else None
    location = next(
        (loc for loc in service.locations if loc.id == chosen),
        service.locations[0] if service.locations else None,
    )
    if location is not None and location.address:
        parts.append(location.address)
    if hit is not None and hit.covers_area:
        parts.append(_("Covers this area"))
    if service.virtual:
        parts.append(_("Online or by phone"))
    return parts


def cost(service) -> str:
    if service.free:
        return _("Free")
    if service.cost_description:
        return service.cost_description
    priced = [
        " ".join(
            p
            for p in (c.option + ":" if c.option else "", f"£{c.amount:.2f}", c.amount_description)
            if p
        )
        for c in service.cost_options
        if c.amount is not None
    ]
    return "; ".join(priced) or _("There is a cost")


def accessibility_words(service) -> list[str]:
    """What helps disabled people at the service's places: our features in the reader's
    language, other directories' words as they wrote them."""
    words = []
    for location in service.locations:
        for item in location.accessibility:
            words.append(accessibility_name(item.feature) if item.feature else item.description)
    return list(dict.fromkeys(w for w in words if w))


def web_link(url: str | None) -> str | None:
    """Only http(s) addresses become links (never javascript: or data:)."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def phone_link(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


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
    try:
        return AccessibilityFeature(code).label
    except ValueError:
        return code


def area_level_name(level: str) -> str:
    names = {
        "lap": _("Local Area Partnership"),
        "ward": _("Ward"),
        "lsoa": _("Small area (LSOA)"),
    }
    return names.get(level, level)


def problem_kind_name(kind: str) -> str:
    try:
        return ProblemKind(kind).label
    except ValueError:
        return kind


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
    from engage.asset_map import search_words

    search_words.register(app)
    app.jinja_env.filters.update(
        distance=distance,
        age_range=age_range,
        day_name=day_name,
        opening_times=opening_times,
        cost=cost,
        language_name=language_name,
        accessibility_name=accessibility_name,
        accessibility_words=accessibility_words,
        web_link=web_link,
        phone_link=phone_link,
        show_value=show_value,
    )
    app.jinja_env.globals.update(
        freshness_label=freshness_label,
        freshness=freshness,
        area_level_name=area_level_name,
        problem_kind_name=problem_kind_name,
        field_name=field_name,
        revision_source_name=revision_source_name,
        service_where=where,
    )
