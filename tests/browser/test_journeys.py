"""Journeys in real Chromium: every role signs in to their dashboard; every public page and
dashboard passes axe-core's WCAG 2.2 A/AA rules; the keyboard reaches the skip link and menu."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

PUBLIC_PAGES = ["/", "/accessibility", "/privacy", "/cookies", "/sign-in", "/password-reset"]
DASHBOARD_HEADINGS = {
    "resident": "Find support near you",
    "youth_ambassador": "Vote on project bids",
    "vcse_provider": "Keep your listing right",
    "engagement_officer": "Invite someone",
    "safeguarding_lead": "Safeguarding cases",
    "admin": "People",
}


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations(page, path, console_errors):
    page.goto(path)
    expect(page.locator("h1")).to_be_visible()
    assert axe_violations(page) == []
    assert console_errors == []  # a blocked script or style would show up here (CSP)


def test_scripts_run_under_the_content_security_policy(page, console_errors):
    page.goto("/sign-in")
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    show = page.get_by_role("button", name="Show password")
    expect(show).to_be_visible()
    page.get_by_label("Password", exact=True).fill("secret words")
    show.click()
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("type", "text")
    assert console_errors == []


def test_error_summary_is_accessible_and_links_to_the_field(page):
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter an email address")
    assert axe_violations(page) == []
    summary.get_by_role("link", name="Enter an email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()


@pytest.mark.parametrize("role", sorted(DASHBOARD_HEADINGS))
def test_each_role_signs_in_to_an_accessible_dashboard(page, demo_users, role):
    user = demo_users[role]
    sign_in(page, user.email, user.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.display_name)
    expect(page.get_by_role("heading", name=DASHBOARD_HEADINGS[role])).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()


def test_keyboard_reaches_the_skip_link_then_the_menu(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    page.goto("/")
    focused = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert "Home" in focused and "Sign in" in focused


def test_keyboard_only_sign_in(page, demo_users):
    user = demo_users["engagement_officer"]
    page.goto("/sign-in")
    page.get_by_label("Email address").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(user.password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.display_name)


def test_polish_pages_are_accessible_too(page):
    page.goto("/")
    page.get_by_role("link", name="Polski").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("link", name="Przejdź do treści głównej")).to_be_attached()
    assert axe_violations(page) == []
    page.goto("/sign-in")
    assert axe_violations(page) == []


def test_error_page_is_accessible(page):
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert axe_violations(page) == []


def test_the_accessibility_check_does_find_violations(page):
    page.goto("/")
    page.evaluate("document.querySelector('h1').style.color = '#ddd'")
    page.evaluate("document.body.append(Object.assign(document.createElement('img'), {src: 'x'}))")
    assert {v["id"] for v in axe_violations(page)} >= {"color-contrast", "image-alt"}
