"""Session links: a youth forum on one Wi-Fi shares one address, so the per-address limit
would stop most of the room. An officer opens a link (shown as a QR code) for the session;
everyone who uses it has their say through the link's own allowance, for a few hours. What
they send is moderated like anything else from the public."""

import io
import secrets
from datetime import datetime, timedelta

import segno
from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback.models import ForumSession


class SessionLinkError(UserError):
    """A session link that cannot be opened as asked."""


@transactional
def open_link(officer: User, session: ForumSession, allowance: int, hours: int) -> str:
    """Open (or reopen, with a new code) the session's link; returns its code."""
    if not 1 <= allowance <= 5000:
        raise SessionLinkError(_("Allow from 1 to 5,000 items"), "allowance")
    session.link_code = secrets.token_urlsafe(12)
    session.link_open_until = utcnow() + timedelta(hours=hours)
    session.link_allowance = allowance
    return session.link_code


@transactional
def close_link(officer: User, session: ForumSession) -> None:
    session.link_open_until = utcnow()


def session_for(code: str, now: datetime | None = None) -> ForumSession | None:
    """The session whose link this is, while it is open."""
    if not code or len(code) > 32:
        return None
    found = db.session.scalar(select(ForumSession).where(ForumSession.link_code == code))
    return found if found is not None and found.link_is_open(now or utcnow()) else None


def allowance_limit(code: str) -> str:
    """The rate-limit string for a link: its allowance over the hours it is open."""
    found = db.session.scalar(select(ForumSession).where(ForumSession.link_code == code))
    if found is None or not found.link_allowance:
        return "1 per day"
    return f"{found.link_allowance} per day"


def qr_svg(url: str, title: str) -> str:
    """The link as a QR code, an inline SVG (no script, prints sharply)."""
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=6, border=2, title=title, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")
