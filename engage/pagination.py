"""GOV.UK pagination parameters: first, last and the pages around the current one."""

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _


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
