"""Absolute links for emails, built from BASE_URL so they work outside a request too."""

from typing import Any

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    adapter = current_app.url_map.bind("engage.invalid")
    path = adapter.build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path
