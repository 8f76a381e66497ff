"""Only follow `next=` links that stay on this site."""

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None) -> str | None:
    """The target if it is a path on this site, else None. Browsers treat a backslash as a
    slash and skip control characters and leading spaces, so "/\\evil.example" or
    "/%5Cevil.example" would leave the site: those are refused too."""
    if not target or len(target) > 2000:
        return None
    decoded = unquote(target)
    if any(ord(c) < 32 or c == "\\" for c in decoded) or decoded.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
