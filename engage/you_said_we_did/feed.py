"""The board as an Atom feed (RFC 4287), built by feedgen so that any filter and any text
makes well-formed XML. Entry ids are tag URIs that never change once a response is published;
every link is absolute."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import current_app
from flask_babel import gettext as _

from engage.database import utcnow
from engage.i18n import current_locale
from engage.urls import external_url
from engage.you_said_we_did.models import STATUS_LABELS, Response, Status

# Characters XML 1.0 cannot hold at all (lxml refuses them): dropped from what people wrote.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return NOT_XML.sub("", text or "")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def entry_id(response: Response) -> str:
    """tag:host,date:/you-said-we-did/12 — the host and the day it was first published."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    published = (response.published_at or response.created_at).date().isoformat()
    return f"tag:{host},{published}:/you-said-we-did/{response.id}"


def _summary(response: Response) -> str:
    status = str(STATUS_LABELS[Status(response.status)])
    done = response.we_did or response.reason
    return _clean(f"{status}. {_('You said:')} {response.you_said} {_('We did:')} {done}")


def atom(responses: list[Response], query: str) -> bytes:
    """The feed for the board with the same query string, newest first."""
    suffix = f"?{query}" if query else ""
    feed = FeedGenerator()
    feed.id(external_url("you_said_we_did.feed") + suffix)
    feed.title(_clean(f"{_('You said, we did')} – {current_app.config['PARTNERSHIP_NAME']}"))
    feed.language("pl" if current_locale().startswith("pl") else "en-GB")
    feed.link(href=external_url("you_said_we_did.feed") + suffix, rel="self")
    feed.link(href=external_url("you_said_we_did.board") + suffix, rel="alternate")
    feed.author(name=_clean(current_app.config["PARTNERSHIP_NAME"]))
    feed.updated(_utc(responses[0].updated_at if responses else utcnow()))
    for response in reversed(responses):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(entry_id(response))
        entry.title(_clean(response.title))
        entry.link(href=external_url("you_said_we_did.show", response_id=response.id))
        entry.updated(_utc(response.updated_at))
        entry.published(_utc(response.published_at or response.updated_at))
        entry.summary(_summary(response))
    return feed.atom_str(pretty=True)
