"""Harvesting a neighbouring directory's Open Referral UK 3.0 feed: page by page through its
/services (asking only for what changed since the last complete harvest), each service in
full from /services/{id}, saved with where it came from so the next harvest updates rather
than duplicates; then the likely duplicates of our own listings for an officer to merge."""

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from engage.asset_map.duplicates import find_duplicates
from engage.asset_map.exchange.documents import Item
from engage.asset_map.exchange.importing import harvest_items
from engage.asset_map.exchange.report import ImportReport, Progress, no_progress
from engage.asset_map.models import FeedSource, RemoteRecord
from engage.database import utcnow
from engage.extensions import db
from engage.jobs.logic import JobFailed

PER_PAGE = 50
MAX_PAGES = 2000
MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 30


@dataclass
class HarvestReport(ImportReport):
    pages: int = 0
    listed: int = 0
    duplicates: int = 0
    since: str | None = None
    errors: list[str] = field(default_factory=list)


class FeedError(Exception):
    """The feed could not be read; the message says what happened."""


def _check_address(url: str) -> None:
    """Feeds are other directories on the internet. An address inside our own network
    (loopback, private, link-local: a cloud's metadata service, say) is refused, so a feed
    cannot be used to reach what only the server can reach; unless the deployment allows it
    (HARVEST_PRIVATE_ADDRESSES, for a partner on the same network, development and tests)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(_("only http and https feeds can be harvested"))
    if current_app.config["HARVEST_PRIVATE_ADDRESSES"]:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise FeedError(
            _("%(url)s could not be reached (%(error)s)", url=url, error=error)
        ) from None
    for *_rest, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global or ip.is_multicast:
            raise FeedError(_("%(url)s is inside our own network: feeds must be public", url=url))


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_address(newurl)  # a public feed may not send us inside our own network
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _get(url: str) -> Any:
    """One JSON document from the feed (http and https only, never our own network)."""
    _check_address(url)
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/json",
            "User-Agent": f"Engage harvester ({current_app.config['BASE_URL']})",
        },
    )
    try:
        opener = urllib.request.build_opener(_CheckedRedirects)
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FeedError(_("%(url)s answered %(status)s", url=url, status=error.code)) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FeedError(
            _("%(url)s could not be reached (%(error)s)", url=url, error=error)
        ) from None
    if len(body) > MAX_BYTES:
        raise FeedError(_("%(url)s sent more than 20 MB", url=url))
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise FeedError(_("%(url)s did not send JSON", url=url)) from None


def _page_url(base: str, page: int, since: datetime | None) -> str:
    query: dict[str, Any] = {"page": page, "per_page": PER_PAGE}
    if since is not None:
        query["modified_after"] = since.isoformat(timespec="seconds") + "Z"
    return f"{base}/services?{urlencode(query)}"


def _full(base: str, summary: Any) -> Item | None:
    if not isinstance(summary, dict) or not isinstance(summary.get("id"), str):
        return None
    url = f"{base}/services/{quote(summary['id'], safe='')}"
    found = _get(url)
    return Item(url, found if isinstance(found, dict) else {"__not_an_object__": found})


def harvest(source: FeedSource, progress: Progress = no_progress) -> HarvestReport:
    """Harvest one feed; pages already saved stay saved if a later page fails."""
    started, since = utcnow(), source.last_harvested_at
    report = HarvestReport(since=since.isoformat() if since else None)
    base = source.url.rstrip("/")
    saved_ids: list[int] = []
    try:
        for page in range(1, MAX_PAGES + 1):
            body = _get(_page_url(base, page, since))
            if not isinstance(body, dict) or not isinstance(body.get("contents"), list):
                raise FeedError(_("%(url)s is not an Open Referral UK feed", url=base))
            items = [item for item in (_full(base, s) for s in body["contents"]) if item]
            harvest_items(items, source, report)
            saved_ids.extend(_saved(source, items))
            report.pages, report.listed = page, report.listed + len(items)
            progress(report.listed, int(body.get("total_items") or 0), "fetching")
            if body.get("last_page", True) or not body["contents"]:
                break
    except FeedError as error:
        _finish(source, report, None)
        raise JobFailed(str(error), report.as_dict()) from None
    report.duplicates = find_duplicates(source, saved_ids)
    _finish(source, report, started)
    return report


def _saved(source: FeedSource, items: list[Item]) -> list[int]:
    ids = [str(item.data.get("id")) for item in items]
    rows = db.session.scalars(
        select(RemoteRecord.local_id).where(
            RemoteRecord.source_id == source.id,
            RemoteRecord.kind == "service",
            RemoteRecord.remote_id.in_(ids),
            RemoteRecord.merged.is_(False),
        )
    )
    return list(rows)


def _finish(source: FeedSource, report: HarvestReport, completed: datetime | None) -> None:
    if completed is not None:
        source.last_harvested_at = completed
    source.last_outcome = {
        "at": utcnow().isoformat(),
        "created": report.created,
        "updated": report.updated,
        "left_aside": report.left_aside_total,
        "complete": completed is not None,
    }
    db.session.commit()
