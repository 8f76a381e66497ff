"""The words of the find-support page: places as people say them, and headings that count
with `ngettext`."""

from dataclasses import dataclass

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext

from engage.asset_map.logic import SupportResults, ancestors
from engage.asset_map.search import Group
from engage.geo.models import Area
from engage.geo.places import Place


def place_name(place: Place) -> str:
    """ "Rothwell, North Northamptonshire", "NN14 6AB, Rothwell, North Northamptonshire",
    "your location"; never a statistical code."""
    return _("your location") if place.kind == "coordinates" else place.label


def area_name(area: Area) -> str:
    """A ward or partnership with its council: "Rothwell & Mawsley ward, North
    Northamptonshire"."""
    if area.level == "ward" and area.name.casefold().endswith(" ward"):
        name = area.name  # "West Ward" is not "West Ward ward"
    elif area.level == "ward":
        name = _("%(ward)s ward", ward=area.name)
    else:
        name = _("%(lap)s Local Area Partnership", lap=area.name)
    council = area.council or next((a.council for a in ancestors(area) if a.council), None)
    return f"{name}, {council}" if council else name


@dataclass(frozen=True)
class Headings:
    total: str
    visit: str
    wider: str
    more_wider: str  # a link to the services that cover the area, on the page they start


def headings(results: SupportResults) -> Headings:
    """The count of everything found, and of each part, in the reader's language."""
    page, place = results.page, results.place
    visit, wider = page.totals.get(Group.VISIT, 0), page.totals.get(Group.WIDER, 0)
    if page.more_than is not None:
        return Headings(_more_than(page.more_than, results), *_nearest(visit, place, wider))
    if place is not None:
        total = ngettext(
            "%(num)d service near %(place)s",
            "%(num)d services near %(place)s",
            page.total,
            place=place_name(place),
        )
    elif results.search.bbox:
        total = ngettext(
            "%(num)d service in this area of the map",
            "%(num)d services in this area of the map",
            page.total,
        )
    else:
        total = ngettext("%(num)d service", "%(num)d services", page.total)
    return Headings(total, _visit_heading(visit, place), *_wider_headings(wider, place))


def _more_than(count: int, results: SupportResults) -> str:
    """The total when places to go to were counted only so far (see ranked.CAP)."""
    if results.place is not None:
        return ngettext(
            "More than %(num)d service near %(place)s",
            "More than %(num)d services near %(place)s",
            count,
            place=place_name(results.place),
        )
    if results.search.bbox:
        return ngettext(
            "More than %(num)d service in this area of the map",
            "More than %(num)d services in this area of the map",
            count,
        )
    return ngettext("More than %(num)d service", "More than %(num)d services", count)


def _nearest(count: int, place: Place | None, wider: int) -> tuple[str, str, str]:
    """The list shows the nearest places to go to, then the services that cover the area."""
    visit = ngettext(
        "The nearest %(num)d service you can go to",
        "The nearest %(num)d services you can go to",
        count,
    )
    return (visit, *_wider_headings(wider, place))


def _visit_heading(count: int, place: Place | None) -> str:
    if place is not None:
        return ngettext(
            "%(num)d service you can go to, nearest first",
            "%(num)d services you can go to, nearest first",
            count,
        )
    return ngettext("%(num)d service you can go to", "%(num)d services you can go to", count)


def _wider_headings(count: int, place: Place | None) -> tuple[str, str]:
    if place is not None:
        return (
            ngettext(
                "%(num)d service that covers this area or works by phone or online",
                "%(num)d services that cover this area or work by phone or online",
                count,
            ),
            ngettext(
                "%(num)d more service covers this area or works by phone or online",
                "%(num)d more services cover this area or work by phone or online",
                count,
            ),
        )
    return (
        ngettext(
            "%(num)d service that works by phone or online",
            "%(num)d services that work by phone or online",
            count,
        ),
        ngettext(
            "%(num)d more service works by phone or online",
            "%(num)d more services work by phone or online",
            count,
        ),
    )


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        place_name=place_name, area_name=area_name, search_headings=headings
    )
