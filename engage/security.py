"""Security headers on every response, with a per-request nonce for the one inline script."""

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request
from flask_babel import gettext as _


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_origin(tile_url: str) -> str:
    """The origin map tiles come from, with Leaflet's {s} subdomain written as a wildcard."""
    parts = urlsplit(tile_url)
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


def content_security_policy(nonce: str, frame_ancestors: str = "'none'") -> str:
    tiles = tile_origin(current_app.config["MAP_TILE_URL"])
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": f"'self' data: {tiles}".strip(),
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    framers = g.get("frame_ancestors")
    policy = content_security_policy(csp_nonce(), " ".join(framers) if framers else "'none'")
    headers.setdefault("Content-Security-Policy", policy)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not framers:
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    if current_app.config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def allow_framing_by(origins: list[str]) -> None:
    """Let these origins put this one response in an iframe (the embeddable widget only)."""
    g.frame_ancestors = origins or ["'none'"]


def refuse_nul_bytes() -> None:
    """No person types a NUL character, and PostgreSQL cannot store one: a form or query string
    that carries one is answered with a 400 before any view sees it. (Forms also name the
    field, through `engage.forms.NoControlCharacters`; this is the net under every form.)"""
    values = [*request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values()]
    if any("\x00" in value for value in values) or "\x00" in request.path:
        abort(400, description=_("Remove the invisible control characters from what you sent"))


def register(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
