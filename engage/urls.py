"""Absolute links for emails, built from BASE_URL so they work outside a request too."""

from typing import Any

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    adapter = current_app.url_map.bind("engage.invalid")
    path = adapter.build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def query_args(args: Any) -> dict[str, Any]:
    """A request's query string, to build links to the same page with. Keys that `url_for`
    reads as options (`_external`, `_scheme`, `_anchor`, …) are dropped, so a crafted link
    cannot turn our own links into another scheme or host."""
    return {key: value for key, value in args.to_dict().items() if not key.startswith("_")}
