"""Feedback in Chromium: a resident and an ambassador have their say; the officer's queue
shows the public copy with personal data taken out; the disclosure goes to the safeguarding
lead, who acknowledges it; the officer enters a session's items and who came, and the reach
page shows who was under-represented. axe finds nothing on any of these pages."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.extensions import db
from engage.feedback.models import Forum, Theme
from engage.feedback.reach import indicator
from engage.feedback.safeguarding import load_default_indicators
from engage.geo.models import Area, AreaFigure
from tests.browser.conftest import axe_violations
from tests.browser.test_budgeting import sign_in
from tests.factories import create_geography, create_user


def _setting(app):
    create_geography()
    lap = db.session.scalar(select(Area).where(Area.code == "T-LAP"))
    for key, value in {
        "age:under_16": 1200, "age:16_24": 800, "age:25_44": 1600, "age:45_64": 1400,
        "age:65_over": 1000, "gender:female": 3050, "gender:male": 2950,
    }.items():  # fmt: skip
        dimension, group = key.split(":")
        name = indicator(dimension, group)
        db.session.add(AreaFigure(area_id=lap.id, indicator=name, value=value))
    db.session.add_all(
        [
            Theme(slug="lighting", name="Environment and lighting", keywords=["dark", "light"]),
            Forum(name="Test Community Forum", audience="mixed", areas=[lap]),
        ]
    )
    load_default_indicators()
    db.session.commit()


def test_feedback_from_a_resident_and_an_ambassador_to_the_reach_chart(browser, live_server, app):
    _setting(app)
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    lead = create_user(Role.SAFEGUARDING_LEAD)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)

    def new_page():
        return browser.new_context(base_url=live_server, locale="en-GB").new_page()

    resident = new_page()
    resident.goto("/have-your-say")
    assert axe_violations(resident) == []
    resident.get_by_label("What would you like to tell us?").fill(
        "The underpass is too dark at night. Email me at sam.r@example.org"
    )
    resident.get_by_label("Which area is it about? (optional)").select_option(label="Test LAP")
    resident.get_by_label("Email address (optional)").fill("sam.r@example.org")
    resident.get_by_label(re.compile("I agree that the partnership may email me")).check()
    resident.get_by_role("button", name="Send").click()
    expect(resident.get_by_role("heading", name="Thank you for having your say")).to_be_visible()
    assert axe_violations(resident) == []

    young = new_page()
    sign_in(young, ambassador)
    young.get_by_role("link", name="Give your views").click()
    young.get_by_label("What would you like to tell us?").fill(
        "I don't feel safe, sometimes I want to die"
    )
    young.get_by_role("button", name="Send").click()
    expect(young.get_by_role("heading", name="Thank you for having your say")).to_be_visible()

    office = new_page()
    sign_in(office, officer)
    office.get_by_role("link", name="Moderation queue").click()
    card = office.locator(".engage-card", has_text="underpass")
    expect(card).to_contain_text("The underpass is too dark at night. Email me at [email removed]")
    expect(card).not_to_contain_text("sam.r@example.org")
    expect(office.locator("main")).not_to_contain_text("want to die")
    assert axe_violations(office) == []
    card.get_by_role("button", name=re.compile("^Approve")).click()
    expect(office.get_by_text("Approved: its redacted copy may now be quoted")).to_be_visible()

    safe = new_page()
    sign_in(safe, lead)
    safe.get_by_role("link", name="Safeguarding cases").click()
    expect(safe.get_by_text(re.compile(r"^1 not yet acknowledged"))).to_be_visible()
    assert axe_violations(safe) == []
    safe.get_by_role("link", name=re.compile(r"^Case \d+")).click()
    expect(safe.locator(".govuk-inset-text")).to_have_text(
        "I don't feel safe, sometimes I want to die"
    )
    safe.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    expect(safe.get_by_text("Case acknowledged")).to_be_visible()
    assert axe_violations(safe) == []

    office.goto("/feedback")
    office.get_by_role("link", name="Test Community Forum").click()
    office.get_by_role("link", name="Add a session").click()
    office.get_by_label("Day").fill("12")
    office.get_by_label("Month").fill("10")
    office.get_by_label("Year").fill("2026")
    office.get_by_label("Place").fill("Community centre")
    office.locator("#attendees").fill("12")
    counts = {"16 to 24": "9", "25 to 44": "3", "Female": "2", "Male": "10"}
    for label, value in counts.items():
        office.get_by_label(label, exact=True).fill(value)
    assert axe_violations(office) == []
    office.get_by_role("button", name="Save session").click()
    expect(office.get_by_text("Session saved")).to_be_visible()
    office.get_by_label("What was said").first.fill("More lights in the park please")
    office.get_by_label("What was said").nth(1).fill("Buses stop too early to get home")
    office.get_by_role("button", name="Save items").click()
    expect(office.get_by_text("2 items saved")).to_be_visible()
    assert axe_violations(office) == []

    office.goto("/feedback/reach")
    office.get_by_label("Forum").select_option(label="Test Community Forum")
    office.get_by_role("button", name="Show").click()
    gender = office.locator("table", has=office.get_by_role("cell", name="Female"))
    expect(gender.get_by_role("row", name=re.compile("^Female"))).to_contain_text(
        "Under-represented"
    )
    age = office.locator("table", has=office.get_by_role("cell", name="16 to 24"))
    expect(age.get_by_role("row", name=re.compile("^Under 16"))).to_contain_text(
        "Under-represented"
    )
    expect(office.locator("svg.engage-chart").first).to_be_visible()
    assert axe_violations(office) == []
