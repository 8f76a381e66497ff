"""The asset map as a parent, a provider and an officer use it, in Chromium, checked by axe.
Map tiles are configured to fail: the list and the markers must work without them."""

import re

import pytest
from playwright.sync_api import expect

from engage.accounts.roles import Role
from engage.asset_map.models import OrganisationMember
from engage.extensions import db
from tests.browser.conftest import axe_violations
from tests.factories import DEFAULT_PASSWORD, create_geography, create_service, create_user
from tests.workers import worker  # noqa: F401  (imports run on a real job worker)


@pytest.fixture
def directory(app):
    create_geography()
    club = create_service(
        "Rothwell Youth Club", minimum_age=11, maximum_age=18, schedules=[("FR", "18:00", "21:00")]
    )
    create_service("Skate Sessions", minimum_age=8, maximum_age=16, lat=52.425, lon=-0.79)
    create_service("Adult Counselling", categories=("mental-health",), minimum_age=18)
    create_service("Bleed kit – Market Square", categories=("bleed-kits",), lat=52.421, lon=-0.80)
    return club


@pytest.fixture
def errors(page):
    found: list[str] = []

    def record(message):
        if message.type == "error" and "tiles-unavailable" not in (message.location or {}).get(
            "url", ""
        ):
            found.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def sign_in(page, user):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def test_a_parent_finds_youth_activities_in_rothwell_and_reports_a_problem(page, directory, errors):
    page.goto("/")
    page.get_by_label("Town, village or postcode").fill("Rothwell")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_label("Type of support").select_option(label="Youth activities")
    page.get_by_label("Age of the person who needs support").fill("14")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="2 services near Rothwell")).to_be_visible()
    results = page.locator(".engage-results > li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Rothwell Youth Club")
    expect(page.locator(".engage-map")).to_have_attribute("data-markers", "2")
    marker = page.get_by_role("button", name="Rothwell Youth Club")
    expect(marker).to_be_attached()
    assert axe_violations(page) == []

    results.first.get_by_role("link", name="Rothwell Youth Club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rothwell Youth Club")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Report a problem with this listing").click()
    page.get_by_label("The service has closed or stopped").check()
    page.get_by_label("Tell us more (optional)").fill("Closed since the summer")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. We will check the listing.")).to_be_visible()
    assert errors == []


def test_many_services_show_as_counted_cells_that_open_as_you_zoom_in(
    page, app, directory, errors, monkeypatch
):
    for n in range(8):
        create_service(f"Club {n}", lat=52.4224 + n / 400, lon=-0.8004 + n / 300)
    monkeypatch.setitem(app.config, "MAP_MARKER_LIMIT", 3)
    page.goto("/find-support?q=Rothwell")
    expect(page.locator(".engage-map")).to_have_attribute("data-markers", "12")  # 4 + 8
    cells = page.get_by_role("button", name=re.compile(r"\d+ services here: zoom in to see them"))
    expect(cells.first).to_be_visible()
    assert axe_violations(page) == []
    map_zoom = "window[document.querySelector('.engage-map').dataset.mapId].getZoom()"
    clubs = page.get_by_role("button", name=re.compile(r"^Club \d$"))
    for _ in range(4):  # each Enter on a cell zooms in two steps, and the server regroups
        if clubs.count():
            break
        zoom = page.evaluate(f"() => {map_zoom}")
        cells.first.focus()
        page.keyboard.press("Enter")  # from the keyboard, as by clicking
        page.wait_for_function(f"() => {map_zoom} > {zoom}")
        page.wait_for_load_state("networkidle")
    expect(clubs.first).to_be_attached()
    assert errors == []


def test_the_list_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/find-support?q=Rothwell&category=youth-activities")
    expect(page.locator(".engage-results > li")).to_have_count(2)
    context.close()


def test_a_provider_confirms_a_listing_and_proposes_an_edit(page, directory, errors):
    provider = create_user(Role.VCSE_PROVIDER)
    db.session.add(
        OrganisationMember(organisation=directory.organisation, user=provider, status="approved")
    )
    db.session.commit()
    sign_in(page, provider)
    page.get_by_role("link", name="Keep your listing right").click()
    assert axe_violations(page) == []
    page.get_by_role(
        "button", name=re.compile("Confirm it is still correct.*Rothwell Youth Club")
    ).click()
    expect(page.get_by_text("is marked as checked today")).to_be_visible()
    page.get_by_role("link", name=re.compile("Suggest changes.*Rothwell Youth Club")).click()
    page.get_by_label("What it offers", exact=True).fill(
        "Games, sport and cooking on Friday nights."
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The engagement team will check your changes")).to_be_visible()
    assert errors == []


@pytest.mark.usefixtures("worker")
def test_an_officer_approves_an_edit_checks_stale_and_gaps_and_imports(
    page, directory, errors, tmp_path
):
    from engage.asset_map import editing

    provider = create_user(Role.VCSE_PROVIDER)
    db.session.add(
        OrganisationMember(organisation=directory.organisation, user=provider, status="approved")
    )
    db.session.commit()
    editing.propose_change(
        provider, directory, {**editing.snapshot(directory), "description": "Now with cooking"}
    )
    sign_in(page, create_user(Role.ENGAGEMENT_OFFICER))
    page.get_by_role("link", name="Keep the map fresh").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Changes proposed by providers").click()
    page.get_by_role("link", name="Rothwell Youth Club").click()
    expect(page.get_by_role("cell", name="Now with cooking")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Change approved and published")).to_be_visible()

    page.goto("/asset-map/manage/stale")
    expect(page.get_by_role("heading", name="Listings due for a check")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/asset-map/manage/gaps?level=lsoa&category=youth-activities")
    expect(page.locator(".engage-map .leaflet-interactive").first).to_be_attached()
    expect(page.get_by_role("table")).to_contain_text("Test 001A")
    assert axe_violations(page) == []

    bad = tmp_path / "services.csv"
    bad.write_text(
        "organisation,name,description,categories,latitude,longitude\n"
        "Org,Good row,Fine,youth-activities,52.42,-0.80\n"
        "Org,Bad row,Oops,youth-activities,-0.80,52.42\n"
    )
    page.goto("/asset-map/manage/import")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    # The import runs as a background job; its page refreshes itself until it is done.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("line 3, field “latitude”", timeout=60_000)
    expect(summary).to_contain_text("Nothing from it has been saved")
    assert axe_violations(page) == []
    for url, heading in [
        ("/asset-map/manage/terms", "Other directories’ categories"),
        ("/asset-map/manage/feeds", "Neighbouring directories"),
        ("/asset-map/manage/duplicates", "Likely duplicates"),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        assert axe_violations(page) == [], url
    assert errors == []
