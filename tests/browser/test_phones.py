"""Every page reflows at 320 CSS px (WCAG 1.4.10) and passes axe there, in English and in
Polish, as every role: real Chromium walks the pages each person reaches by following links
from where they start (the home page, or their dashboard) over the full demo data, and no page
may scroll sideways. Wide tables scroll inside their own labelled, focusable region."""

import re
from urllib.parse import urlsplit

import pytest

from engage import demo
from engage.accounts.roles import Role
from tests.browser.conftest import PHONE, assert_reflows, axe_violations, sign_in, wait_for_map

MOST_PAGES = 40  # per person and language: each kind of page once (ids folded together)
SKIP = re.compile(
    r"^/(sign-out|static/|language/|api/|tiles-unavailable/)|\.(csv|pb|json|xml|atom|zip|pdf|svg)$"
    r"|/(feed|export|download|results\.csv)"
)

# Pages another piece of work is rebuilding at the time of writing (issue 13): their reflow is
# checked and printed, but not failed on here. Delete an entry once its page reflows.
ELSEWHERE: dict[re.Pattern, str] = {}


def _elsewhere(path: str) -> str | None:
    return next((why for pattern, why in ELSEWHERE.items() if pattern.search(path)), None)


def _kind(path: str) -> str:
    """Pages that differ only by an id or a code are one kind of page."""
    return re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/N", path)


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def walk(page, origin: str, start: str) -> tuple[int, list[str]]:
    """Visits each kind of page reachable from `start`; returns how many and the problems."""
    queue, seen, problems, visited = [start], set(), [], 0
    while queue and visited < MOST_PAGES:
        path = queue.pop(0)
        kind = _kind(urlsplit(path).path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(path)
        if (
            response is None
            or response.status >= 400
            or "html" not in (response.headers.get("content-type", ""))
        ):
            continue
        visited += 1
        try:
            assert_reflows(page)
        except AssertionError as error:
            if _elsewhere(urlsplit(path).path):
                print(f"\nnot failed on (being rebuilt elsewhere): {error}")
            else:
                problems.append(str(error))
        wait_for_map(page)
        problems += [f"{path}: axe {v['id']} {v['targets'][:3]}" for v in axe_violations(page)]
        queue += _links(page, origin)
    return visited, problems


@pytest.fixture(scope="module")
def demo_site(_app):
    """The full demo (areas, services, forums, feedback, a round, responses) once for every
    walk: loading it takes longer than a walk."""
    with _app.app_context():
        from tests.conftest import _empty_tables

        _empty_tables()
        result = _app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        yield {user.role.value: user for user in demo.read_demo_users()}
        _empty_tables()


@pytest.mark.parametrize("locale", ["en-GB", "pl-PL"])
@pytest.mark.parametrize("role", ["anonymous", *(r.value for r in Role)])
def test_every_page_a_person_reaches_reflows_at_320px(browser, live_server, demo_site, role,
                                                      locale):  # fmt: skip
    # Reduced motion: the map's clusters fade in otherwise, and axe would measure them mid-fade.
    context = browser.new_context(
        base_url=live_server, locale=locale, viewport=PHONE, reduced_motion="reduce"
    )
    page = context.new_page()
    try:
        start = "/"
        if role != "anonymous":
            user = demo_site[role]
            sign_in(page, user.email, user.password)
            start = "/dashboard"
        visited, problems = walk(page, live_server, start)
    finally:
        context.close()
    print(f"\n{role} {locale}: {visited} kinds of page at 320px")
    assert visited >= 5  # the walk really went somewhere
    assert problems == []
