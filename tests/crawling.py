"""Walk the site as one person would and as an attacker would: every page reachable by a link,
and every GET route of the app filled in with real ids (including ids the person should never
reach). Used to prove invariants over all pages at once (nothing held by the safeguarding lead
leaks; no input gives a 500)."""

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import islice, product
from urllib.parse import urldefrag, urlsplit

from flask import Flask
from sqlalchemy import text

from engage.extensions import db

# Route arguments and where their real values come from. A new route argument must be added
# here, or the crawl fails: every page is walked, none forgotten.
ARGUMENT_SOURCES: dict[str, str] = {
    "bid_id": "SELECT id FROM pb_bids",
    "case_id": "SELECT id FROM fb_cases",
    "change_id": "SELECT id FROM proposed_changes",
    "consultation_id": "SELECT id FROM ysd_consultations",
    "forum_id": "SELECT id FROM fb_forums",
    "item_id": "SELECT id FROM fb_items",
    "pot_id": "SELECT id FROM pb_pots",
    "question_id": "SELECT id FROM fb_questions",
    "request_id": "SELECT id FROM fb_privacy_requests",
    "response_id": "SELECT id FROM ysd_responses",
    "round_id": "SELECT id FROM pb_rounds",
    "service_id": "SELECT id FROM services",
    "session_id": "SELECT id FROM fb_sessions",
    "user_id": "SELECT id FROM users",
    "slug": "SELECT slug FROM fb_themes",
    "code": "SELECT code FROM areas",
    "record_id": "SELECT oruk_id FROM services",
    "job_id": "SELECT id FROM jobs",
    "term_id": "SELECT id FROM taxonomy_terms",
    "project_id": "SELECT id FROM pb_funded_projects",
    "return_id": "SELECT id FROM mon_returns",
    "pdf_id": "SELECT id FROM report_pdfs",
}
SKIP_ARGUMENTS = {"filename", "token"}  # static files; signed links are tested on their own
NEVER_FOLLOW = ("/sign-out", "/static/", "/language/", "/tiles-unavailable/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "link"):
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@dataclass
class Visit:
    url: str
    status: int
    body: str
    endpoint: str | None


@dataclass
class Crawl:
    app: Flask
    client: object
    per_endpoint: int = 3
    favourites: dict[str, list] = field(default_factory=dict)  # arg -> values always tried
    visits: list[Visit] = field(default_factory=list)

    def _endpoint(self, path: str, method: str = "GET") -> str | None:
        adapter = self.app.url_map.bind("localhost")
        try:
            return adapter.match(path, method=method)[0]
        except Exception:
            return None

    def endpoint_of(self, url: str) -> str | None:
        """The endpoint a form posts to (whichever method it accepts)."""
        path = urlsplit(url).path
        return self._endpoint(path, "POST") or self._endpoint(path)

    def route_urls(self) -> Iterator[str]:
        """Every GET route, with its arguments filled from the database."""
        for rule in self.app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.arguments & SKIP_ARGUMENTS:
                continue
            unknown = rule.arguments - ARGUMENT_SOURCES.keys()
            assert not unknown, f"{rule.rule}: add {sorted(unknown)} to ARGUMENT_SOURCES"
            names = sorted(rule.arguments)
            choices = [self._values(name) for name in names]
            for values in islice(product(*choices), self.per_endpoint * 2):
                yield rule.build(dict(zip(names, values, strict=True)), append_unknown=False)[1]

    def _values(self, name: str) -> list:
        wanted = list(self.favourites.get(name, []))
        found = db.session.execute(text(ARGUMENT_SOURCES[name] + " ORDER BY 1 LIMIT 3")).scalars()
        return wanted + [v for v in found if v not in wanted]

    def run(self, start: list[str], check: Callable[[Visit], None]) -> list[Visit]:
        """Visit the start pages, every route, and every link found, each endpoint at most
        `per_endpoint` times by links (routes filled in always count)."""
        queue = deque([*start, *self.route_urls()])
        seen: set[str] = set()
        by_endpoint: dict[str | None, int] = {}
        forced = set(queue)
        while queue:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            endpoint = self._endpoint(urlsplit(url).path)
            if url not in forced:
                if by_endpoint.get(endpoint, 0) >= self.per_endpoint:
                    continue
                by_endpoint[endpoint] = by_endpoint.get(endpoint, 0) + 1
            response = self.client.get(url)
            body = response.get_data(as_text=True)
            visit = Visit(url, response.status_code, body, endpoint)
            self.visits.append(visit)
            check(visit)
            if response.status_code == 200 and "html" in (response.mimetype or ""):
                queue.extend(self._own(url, body))
        return self.visits

    def _own(self, base: str, body: str) -> Iterator[str]:
        for href in links_in(body):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(NEVER_FOLLOW):
                continue
            yield href


@dataclass
class FormField:
    name: str
    kind: str  # text, hidden, checkbox, radio, select, textarea, file, email, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class FoundForm:
    method: str
    action: str
    multipart: bool
    fields: list[FormField] = field(default_factory=list)

    @property
    def signature(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(sorted(f.name for f in self.fields)))


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self._select = page, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method, action = (a.get("method") or "get").lower(), a.get("action") or self.page
            self.forms.append(FoundForm(method, action, "multipart" in (a.get("enctype") or "")))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "image", "reset"):
            self._add(FormField(a["name"], a.get("type") or "text", a.get("value") or ""))
        elif tag == "textarea":
            self._add(FormField(a["name"], "textarea"))
        elif tag == "select":
            self._select = FormField(a["name"], "select")
            self._add(self._select)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def _add(self, found: FormField) -> None:
        fields = self.forms[-1].fields
        same = next((f for f in fields if f.name == found.name), None)
        if same is not None and found.kind in ("radio", "checkbox"):
            same.options.append(found.value)
        elif same is None:
            found.options = found.options or (
                [found.value] if found.kind in ("radio", "checkbox") else []
            )
            fields.append(found)


def forms_in(page_url: str, html: str) -> list[FoundForm]:
    parser = _Forms(
        urlsplit(page_url).path
        + ("?" + urlsplit(page_url).query if urlsplit(page_url).query else "")
    )
    parser.feed(html)
    return parser.forms
