"""Finding support where you are, as a parent, a Polish-speaking resident, someone on a phone
and an officer reading the gaps would, in Chromium, checked by axe at desktop width and at 320
CSS px."""

import pytest
from playwright.sync_api import expect

from engage.accounts.roles import Role
from engage.asset_map.models import Schedule
from engage.extensions import db
from engage.geo.models import Area, Postcode
from tests.browser.conftest import DESKTOP, assert_reflows, axe_violations, sign_in, wait_for_map
from tests.factories import DEFAULT_PASSWORD, create_geography, create_service, create_user

WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@pytest.fixture
def directory(app):
    create_geography()
    west = db.session.scalar(db.select(Area).where(Area.code == "T-W1"))
    helpline = create_service("Family Helpline", lat=None, virtual=True, phone="0808 157 0001")
    helpline.schedules = [
        Schedule(byday=day, opens_at="00:00", closes_at="23:59", freq="WEEKLY") for day in WEEK
    ]
    create_service("Home Visiting Team", lat=None, service_areas=[west])
    create_service("Kettering Boxing Club", lat=52.3981, lon=-0.7257)  # about 5.6 km
    create_service("Skate Sessions", lat=52.4250, lon=-0.7900)
    create_service(
        "Rothwell Youth Club",
        schedules=[(day, "18:00", "21:00") for day in ("MO", "TU", "WE", "TH", "FR")],
    )
    for code, lat, lon in (("NN146AB", 52.4222, -0.8010), ("NN146BD", 52.4230, -0.7995)):
        db.session.add(
            Postcode(postcode=code, latitude=lat, longitude=lon, district="NN14", sector="NN14 6")
        )
    db.session.commit()


def _results(page):
    return [name.strip() for name in page.locator(".engage-results h4").all_inner_texts()]


def _search(page, text: str) -> None:
    page.get_by_label("Town, village or postcode").fill(text)
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_parent_in_rothwell_sees_places_to_go_first_then_wider_help(page, directory):
    page.goto("/find-support")
    _search(page, "Rothwell")
    heading = "5 services near Rothwell, North Northamptonshire"
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(
        page.get_by_role("heading", name="3 services you can go to, nearest first")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name="2 services that cover this area or work by phone or online"
        )
    ).to_be_visible()
    assert _results(page) == [
        "Rothwell Youth Club",
        "Skate Sessions",
        "Kettering Boxing Club",
        "Home Visiting Team",
        "Family Helpline",
    ]
    first, helpline = page.locator(".engage-result").first, page.locator(".engage-result").last
    expect(first).to_contain_text("m away")
    expect(first).to_contain_text("Monday to Friday, 6pm to 9pm")
    expect(helpline).to_contain_text("Open 24 hours")
    expect(helpline).to_contain_text("Online or by phone")
    expect(page.get_by_role("link", name="West Ward, North Northamptonshire")).to_be_visible()
    expect(page.get_by_text("Test 001A")).to_have_count(0)
    wait_for_map(page)
    assert axe_violations(page) == []


def test_on_a_phone_the_results_come_first_and_the_map_follows_the_list(page, directory):
    assert_reflows(page)
    page.goto("/find-support?q=Rothwell")
    assert_reflows(page)
    summary = page.get_by_text("Show filters")
    expect(summary).to_be_visible()
    expect(page.get_by_label("Type of support")).to_be_hidden()
    results = page.get_by_role("heading", name="5 services near Rothwell, North Northamptonshire")
    assert results.bounding_box()["y"] < 800  # on the first screen, not below the filters
    last_result = page.locator(".engage-result").last.bounding_box()
    assert page.locator(".engage-map").bounding_box()["y"] > last_result["y"]
    wait_for_map(page)
    assert axe_violations(page) == []

    summary.click()
    expect(page.get_by_text("Hide filters")).to_be_visible()
    page.get_by_label("Age of the person who needs support").fill("30")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("1 filter in use")).to_be_visible()
    expect(page.get_by_label("Age of the person who needs support")).to_have_value("30")
    assert_reflows(page)
    wait_for_map(page)
    assert axe_violations(page) == []


def test_on_a_wide_screen_the_filters_are_open_beside_the_results(page, directory):
    page.set_viewport_size(DESKTOP)
    page.goto("/find-support?q=Rothwell")
    expect(page.get_by_label("Type of support")).to_be_visible()
    expect(page.get_by_text("Hide filters")).to_be_visible()
    form = page.locator(".engage-search__form").bounding_box()
    list_ = page.locator(".engage-results").first.bounding_box()
    assert form["x"] + form["width"] <= list_["x"]


def test_without_javascript_a_phone_still_gets_results_first(browser, live_server, directory):
    context = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    page.goto("/find-support?q=Rothwell")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.get_by_label("Type of support")).to_be_hidden()
    expect(page.locator(".engage-result")).to_have_count(5)
    context.close()


def test_places_are_found_as_people_say_them(page, directory):
    page.goto("/find-support")
    _search(page, "Rothwell, Kettering")
    expect(page.locator("#results-heading")).to_have_text(
        "5 services near Rothwell, North Northamptonshire"
    )
    _search(page, "nn14 6")
    expect(page.locator("#results-heading")).to_have_text(
        "5 services near NN14 6, Rothwell, North Northamptonshire"
    )
    _search(page, "NN14 6AB")
    expect(page.locator("#results-heading")).to_have_text(
        "5 services near NN14 6AB, Rothwell, North Northamptonshire"
    )
    _search(page, "Rothwel")
    expect(page.get_by_text("Did you mean:")).to_be_visible()
    page.get_by_role("link", name="Rothwell, North Northamptonshire").click()
    expect(page.locator("#results-heading")).to_have_text(
        "5 services near Rothwell, North Northamptonshire"
    )
    assert axe_violations(page) == []


def test_a_polish_speaking_resident_searches_by_postcode_on_a_phone(
    browser, live_server, directory
):
    context = browser.new_context(base_url=live_server, locale="pl-PL")
    page = context.new_page()
    page.goto("/find-support")
    page.get_by_label("Miasto, wieś lub kod pocztowy").fill("NN14 6AB")
    page.get_by_role("button", name="Szukaj", exact=True).click()
    expect(page.locator("#results-heading")).to_have_text(
        "5 usług w pobliżu: NN14 6AB, Rothwell, North Northamptonshire"
    )
    expect(page.get_by_role("heading", name="3 miejsca, do których można pójść")).to_be_visible()
    first = page.locator(".engage-result").first
    expect(first).to_contain_text("Od poniedziałku do piątku, 18:00–21:00")
    assert axe_violations(page) == []
    assert_reflows(page)
    page.reload()
    expect(page.get_by_text("Pokaż filtry")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Family Helpline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family Helpline")
    expect(page.get_by_text("Czynne całą dobę")).to_be_visible()
    assert_reflows(page)
    assert axe_violations(page) == []
    context.close()


def test_a_service_page_reads_its_times_and_reflows_in_both_languages(
    browser, live_server, directory
):
    for locale, times in (("en-GB", "Monday to Friday, 6pm to 9pm"), ("pl-PL", "18:00–21:00")):
        context = browser.new_context(base_url=live_server, locale=locale)
        page = context.new_page()
        page.goto("/find-support?q=Rothwell")
        page.locator(".engage-result a").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Rothwell Youth Club")
        expect(page.get_by_text(times)).to_be_visible()
        expect(page.get_by_text("Test 001A")).to_have_count(0)
        assert axe_violations(page) == []
        assert_reflows(page)
        assert axe_violations(page) == []
        context.close()


def test_the_area_page_and_reporting_a_problem_reflow_in_both_languages(
    browser, live_server, directory
):
    for locale, report in (
        ("en-GB", "Report a problem with this listing"),
        ("pl-PL", "Zgłoś problem z tym wpisem"),
    ):
        context = browser.new_context(base_url=live_server, locale=locale)
        page = context.new_page()
        page.goto("/find-support?q=Rothwell")
        page.locator(".engage-search__results p a[href^='/areas/']").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("West Ward")
        assert axe_violations(page) == []
        assert_reflows(page)
        assert axe_violations(page) == []
        page.set_viewport_size(DESKTOP)
        page.goto("/find-support?q=Rothwell")
        page.locator(".engage-result a").first.click()
        page.locator("a[href$='/report-a-problem']").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(report)
        assert axe_violations(page) == []
        assert_reflows(page)
        assert axe_violations(page) == []
        context.close()


@pytest.fixture
def thin_directory(app):
    create_geography()
    create_service("Rothwell Youth Club")  # one service: a search here finds "few"


def test_a_visitor_searching_again_counts_once_and_staff_never_move_the_gaps(
    browser, live_server, thin_directory
):
    visitor = browser.new_context(base_url=live_server, locale="en-GB")
    page = visitor.new_page()
    for text in ("Rothwell", "Rothwell", "Rothwell, Kettering"):
        page.goto("/find-support")
        _search(page, text)
        expect(page.locator("#results-heading")).to_have_text(
            "1 service near Rothwell, North Northamptonshire"
        )
    visitor.close()

    staff = browser.new_context(base_url=live_server, locale="en-GB")
    page = staff.new_page()
    sign_in(page, create_user(Role.ENGAGEMENT_OFFICER).email, DEFAULT_PASSWORD)
    # In the east ward, where no visitor searched (every browser here has the same address).
    page.goto("/find-support?q=52.4000,-0.7200")
    expect(page.locator("#results-heading")).to_have_text("1 service near your location")
    page.goto("/asset-map/manage/gaps?level=ward")
    west = page.get_by_role("row").filter(has=page.get_by_role("link", name="West Ward"))
    expect(west.get_by_role("cell").nth(5)).to_have_text("1")  # Searches finding little
    east = page.get_by_role("row").filter(has=page.get_by_role("link", name="East Ward"))
    expect(east.get_by_role("cell").nth(5)).to_have_text("0")
    assert axe_violations(page) == []
    staff.close()
