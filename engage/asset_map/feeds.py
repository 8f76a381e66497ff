"""The neighbouring directories we harvest: registered by an officer, harvested nightly."""

from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.asset_map.models import FeedSource
from engage.database import transactional
from engage.errors import UserError
from engage.extensions import db


class FeedError(UserError):
    """A feed that cannot be added."""


def all_feeds() -> list[FeedSource]:
    return list(db.session.scalars(select(FeedSource).order_by(FeedSource.name)))


def active_feeds() -> list[FeedSource]:
    query = select(FeedSource).where(FeedSource.active.is_(True)).order_by(FeedSource.id)
    return list(db.session.scalars(query))


@transactional
def add_feed(officer: User | None, name: str, url: str) -> FeedSource:
    """A feed to harvest: the address of another directory's Open Referral UK API."""
    cleaned = url.strip().rstrip("/")
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedError(_("Enter a web address starting with https:// or http://"), "url")
    if db.session.scalar(select(FeedSource).where(FeedSource.url == cleaned)):
        raise FeedError(_("This feed is already harvested"), "url")
    source = FeedSource(name=name.strip(), url=cleaned, created_by=officer, last_outcome={})
    db.session.add(source)
    return source


def feed_for(url: str) -> FeedSource:
    """The feed at this address, added (by no one in particular) if it is new."""
    cleaned = url.strip().rstrip("/")
    found = db.session.scalar(select(FeedSource).where(FeedSource.url == cleaned))
    return found or add_feed(None, urlsplit(cleaned).netloc or cleaned, cleaned)


@transactional
def set_active(source: FeedSource, active: bool) -> None:
    source.active = active
