"""One page of a long list, and the GOV.UK pagination parameters that lead to the others:
first, last and the pages around the current one."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select

from engage.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int  # rows in the whole list
    page: int
    pages: int


def page_of(query: Select, page: int, per_page: int) -> Page:
    """One page of the query's rows; a page past the end (the last rows were just dealt
    with, or a link was typed) shows the last page instead of nothing."""
    found = db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
    pages = max(found.pages, 1)
    if page > pages:
        found = db.paginate(query, page=pages, per_page=per_page, error_out=False)
    return Page(list(found.items), found.total or 0, min(max(page, 1), pages), pages)


def pagination(page: int, pages: int, href: Callable[[int], str]) -> dict[str, Any] | None:
    if pages <= 1:
        return None
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    items: list[dict[str, Any]] = []
    for number in shown:
        if items and number - items[-1].get("number", number) > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page})
    params: dict[str, Any] = {"items": items, "landmarkLabel": _("Results pages")}
    if page > 1:
        params["previous"] = {"href": href(page - 1), "text": _("Previous")}
    if page < pages:
        params["next"] = {"href": href(page + 1), "text": _("Next")}
    return params
