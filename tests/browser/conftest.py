"""Browser fixtures: the app served by a real HTTP server in a thread, and Debian's Chromium
driven by Playwright (its own browser download is not available offline)."""

import os
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from engage import demo
from engage.extensions import limiter

AXE_URL = "/static/build/axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    return path


@pytest.fixture(scope="session")
def live_server(_app):
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(autouse=True)
def own_address(_app):
    """Each browser test is another person on another address, though every request reaches
    the live server from 127.0.0.1: the rate limits (10 sign-ins a minute from one address) start
    afresh for each, whatever its fixtures. The `app` fixture resets them too, but tests that
    share one module-wide demo (the phone walks) do not go through it, and a walk straight
    after a test that signed in as every role was refused."""
    with _app.app_context():
        limiter.reset()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, app):
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_users(app):
    users = demo.read_demo_users()
    demo.load_demo_users(users)
    return {user.role.value: user for user in users}


def axe_violations(page) -> list[dict]:
    """Runs axe-core in the page for the WCAG 2.0, 2.1 and 2.2 A and AA rules."""
    # A script of the page's own origin (the app serves static/build, where the build puts axe
    # for these tests), so the page's CSP stays on while axe runs and Chromium keeps its
    # compiled code from page to page: evaluating the source through the DevTools protocol
    # compiled its 650 KB again on every page.
    # A click on a link returns once the next page's navigation has begun, before the page has
    # a head to add the script to: wait until it has loaded.
    page.wait_for_load_state("load")
    page.add_script_tag(url=AXE_URL)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
    # Only the violations come back: the passes' every node, sent over the protocol, doubled
    # the time axe took on each page.
    violations = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']}).then(r => r.violations)""",
        tags,
    )
    found = [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in violations
    ]
    return [v for v in found if not _map_marker_spacing(v)]


def _map_marker_spacing(violation: dict) -> bool:
    """Map markers close together (target size, WCAG 2.5.8) fall under the criterion's
    "Equivalent" exception: every marker's service is also a full-size link in the list on the
    same page, which the map never replaces. Only that rule, and only for map markers."""
    return violation["id"] == "target-size" and all(
        "leaflet-marker-icon" in " ".join(target) for target in violation["targets"]
    )


PHONE = {"width": 320, "height": 800}  # WCAG 1.4.10 reflow: 320 CSS px wide
DESKTOP = {"width": 1280, "height": 720}  # Playwright's default


# A map's markers have finished fading in and moving (axe would otherwise measure a half-faded
# number, or two clusters passing over each other as touch targets too close together).
MAP_SETTLED = """() => !document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim')
    && [...document.querySelectorAll('.leaflet-marker-icon')]
        .every(icon => getComputedStyle(icon).opacity === '1')"""


# The search map has its markers once support-map.mjs has drawn them and said how many.
MAP_DRAWN = """() => { const map = document.querySelector('.engage-map[data-results-url]');
    return !map || map.dataset.markers !== undefined; }"""


def wait_for_map(page) -> None:
    """Until the markers have come (they are fetched) and stopped animating; at once on a page
    without a map (waiting for the network to go quiet cost half a second a page). One wait
    for both, each a round trip to the browser and a frame."""
    page.wait_for_function(f"() => ({MAP_DRAWN})() && ({MAP_SETTLED})()")


def assert_reflows(page) -> None:
    """At 320 CSS px wide the page must not scroll sideways (WCAG 1.4.10). Leaves the page at
    that width, so the rest of a phone journey can follow; `page.set_viewport_size(DESKTOP)`
    goes back. On failure, names the elements that stick out."""
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return
    wide = page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .slice(0, 8)
            .map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined
                ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''))""",
        PHONE["width"],
    )
    raise AssertionError(f"{page.url} is {width}px wide at 320px; sticking out: {wide}")


def sign_in(page, email: str, password: str) -> None:
    """Signs in whatever the page's language (the fields by name, not by label)."""
    page.goto("/sign-in")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/sign-in" in r.url
    ) as posted:
        page.locator("input[name=password]").press("Enter")
    # Said at once, with the reason, rather than 30 s later as a wait for the dashboard.
    status = posted.value.status
    assert status == 302, (
        f"signing in as {email} answered {status}: "
        + (page.locator(".govuk-error-summary").all_inner_texts() or [""])[0]
    )
    page.wait_for_url("**/dashboard")
