"""Youth ambassadors vote in Chromium with each ballot type; results read in plain words;
axe finds nothing on the ballot, round and results pages."""

import re

import pytest
from playwright.sync_api import expect

from engage.accounts.roles import Role
from engage.budgeting import counting, logic, voting
from tests.browser.conftest import axe_violations
from tests.budgeting.test_rounds import _to_voting
from tests.factories import DEFAULT_PASSWORD, create_user

SIGN_IN_WORDS = {
    "en": ("Email address", "Password", "Sign in"),
    "pl": ("Adres e-mail", "Hasło", "Zaloguj się"),
}


def sign_in(page, user, language: str = "en"):
    email, password, button = SIGN_IN_WORDS[language]
    page.goto("/sign-in")
    page.get_by_label(email).fill(user.email)
    page.get_by_label(password, exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/dashboard")


@pytest.fixture
def people(app):
    from engage.asset_map.models import Organisation, OrganisationMember
    from engage.extensions import db

    provider = create_user(Role.VCSE_PROVIDER)
    org = Organisation(name="Corby Youth Boxing Club")
    db.session.add_all(
        [org, OrganisationMember(organisation=org, user=provider, status="approved")]
    )
    db.session.commit()
    return create_user(Role.ENGAGEMENT_OFFICER), (provider, org)


@pytest.mark.parametrize(
    ("kind", "extra", "fill", "total"),
    [
        (
            "approval",
            {},
            {"Boxing club kit": "tick", "Mentoring": "tick"},
            "Projects chosen: 2. Their cost: £32,500 of the £50,000 pot.",
        ),
        (
            "k_approval",
            {"max_choices": 2},
            {"Youth bus": "tick"},
            "Projects chosen: 1. Their cost: £30,000 of the £50,000 pot.",
        ),
        (
            "points",
            {"points": 10},
            {"Girls' football": "6", "Mentoring": "4"},
            "Points used: 10 of 10.",
        ),
    ],
)
def test_an_ambassador_votes_and_gets_a_receipt(page, people, kind, extra, fill, total):
    officer, provider = people
    funding_round, _bids = _to_voting(officer, provider, ballot_type=kind, **extra)
    sign_in(page, create_user(Role.YOUTH_AMBASSADOR))
    page.get_by_role("link", name="Vote on project bids").click()
    page.get_by_role("link", name="Youth fund").click()
    page.get_by_role("link", name="Vote", exact=True).click()
    assert axe_violations(page) == []
    for title, value in fill.items():
        field = page.get_by_label(re.compile(f"^{re.escape(title)} – "))
        field.check() if value == "tick" else field.fill(value)
    expect(page.locator("#ballot-total")).to_have_text(total)  # kept up to date as they go
    page.get_by_role("button", name="Save my vote").click()
    expect(
        page.get_by_text(re.compile("Your vote is saved. Your receipt code is [0-9A-F]{8}"))
    ).to_be_visible()
    assert axe_violations(page) == []


def test_an_over_the_limit_ballot_is_refused_with_a_clear_message(page, people):
    officer, provider = people
    _to_voting(officer, provider, ballot_type="k_approval", max_choices=1)
    sign_in(page, create_user(Role.YOUTH_AMBASSADOR))
    page.goto("/participatory-budgeting/1/vote")
    page.get_by_label(re.compile("^Boxing club kit – ")).check()
    page.get_by_label(re.compile("^Mentoring – ")).check()
    page.get_by_role("button", name="Save my vote").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose up to 1 project")
    assert axe_violations(page) == []


def test_a_resident_reads_results_that_match_the_numbers(page, people):
    officer, provider = people
    funding_round, bids = _to_voting(officer, provider)
    for choices in ([0, 1], [0, 1], [2], [3, 2]):
        voting.cast_ballot(
            create_user(Role.YOUTH_AMBASSADOR),
            funding_round.pots[0],
            {bids[i].id: 1 for i in choices},
        )
    logic.advance_phase(officer, funding_round)
    result = counting.count_and_record(officer, funding_round)
    logic.advance_phase(officer, funding_round)
    page.goto("/participatory-budgeting")
    page.get_by_role("link", name="Youth fund").click()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_text("4 of 4 youth ambassadors voted")).to_be_visible()
    funded = page.locator("tbody tr", has_text="Funded").filter(has=page.locator(".govuk-tag"))
    expect(funded).to_have_count(len(result.selected))
    expect(
        page.get_by_text("At first, each of the 4 people who voted had £12,500.")
    ).to_be_visible()
    assert axe_violations(page) == []


def test_a_whole_round_in_the_browser(browser, live_server, people):
    officer, (provider, _org) = people
    reviewer = create_user(Role.RESIDENT, display_name="Community reviewer")
    ambassadors = [create_user(Role.YOUTH_AMBASSADOR) for _ in range(3)]

    def as_user(user):
        context = browser.new_context(base_url=live_server, locale="en-GB")
        page = context.new_page()
        sign_in(page, user)
        return context, page

    octx, office = as_user(officer)
    office.goto("/participatory-budgeting/new")
    office.get_by_label("Title").fill("West youth fund")
    office.get_by_label("Pot (£)").fill("20000")
    office.get_by_label("Largest bid (£)").fill("10000")
    office.get_by_label("Tick any projects they support").check()
    office.get_by_label("Method of Equal Shares", exact=False).check()
    office.get_by_role("button", name="Save round").click()
    office.get_by_role("button", name="Move to the bidding phase").click()
    office.get_by_label("Add someone to the panel by their email address").fill(reviewer.email)
    office.get_by_role("button", name="Add to panel").click()
    expect(office.get_by_text("Community reviewer is on the review panel")).to_be_visible()
    round_url = office.url.replace("/manage", "")

    pctx, bidder = as_user(provider)
    for title, cost in (
        ("Street football", "6000"),
        ("Music studio", "9000"),
        ("Cooking club", "4000"),
    ):
        bidder.goto(round_url + "/bids/new")
        bidder.get_by_label("Project title", exact=True).fill(title)
        bidder.get_by_label("Summary in plain words").fill("Free sessions every week.")
        bidder.get_by_label("Cost (£)").fill(cost)
        bidder.get_by_role("button", name="Send bid").click()
        expect(bidder.get_by_text("Bid sent")).to_be_visible()
    pctx.close()

    office.goto(round_url + "/manage")
    office.get_by_role("button", name="Move to the review phase").click()
    rctx, panel = as_user(reviewer)
    panel.goto(round_url + "/review")
    assert axe_violations(panel) == []
    panel.get_by_role(
        "button", name=re.compile("Declare a conflict of interest.*Music studio")
    ).click()
    for label in ("Reach", "Evidence", "Value for money", "Fit"):
        panel.get_by_label(re.compile(rf"^\s*{label}")).first.select_option("4")
    panel.get_by_role("button", name=re.compile("Save scores.*Street football")).click()
    expect(panel.get_by_text("Scores saved for Street football")).to_be_visible()
    rctx.close()

    office.reload()
    expect(office.get_by_text("1 reviewer stepped back")).to_be_visible()
    for title in ("Street football", "Music studio", "Cooking club"):
        office.get_by_label(re.compile(f"^{title} – ")).check()
    office.get_by_role("button", name="Save shortlist").click()
    office.get_by_role("button", name="Move to the voting phase").click()
    assert axe_violations(office) == []

    for ambassador, picks in zip(
        ambassadors,
        (["Street football", "Cooking club"], ["Music studio"], ["Street football"]),
        strict=True,
    ):
        actx, voter = as_user(ambassador)
        voter.goto(round_url + "/vote")
        for title in picks:
            voter.get_by_label(re.compile(f"^{title} – ")).check()
        voter.get_by_role("button", name="Save my vote").click()
        expect(voter.get_by_text("Your vote is saved")).to_be_visible()
        actx.close()

    office.get_by_role("button", name="Move to the counting phase").click()
    office.get_by_role("button", name="Count the votes").click()
    office.get_by_role("button", name="Move to the published phase").click()
    octx.close()

    context = browser.new_context(base_url=live_server, locale="en-GB")
    resident = context.new_page()
    resident.goto(round_url + "/results")
    expect(resident.get_by_text("3 of 3 youth ambassadors voted")).to_be_visible()
    expect(
        resident.get_by_text(
            "There was enough money for every project someone voted for, so all are funded."
        )
    ).to_be_visible()
    expect(resident.locator(".engage-funded")).to_contain_text("Street football")
    assert axe_violations(resident) == []
    context.close()


# Issue 13: results a 15-year-old understands, and the ballot, at desktop width and on a 320px
# phone (WCAG 1.4.10: nothing scrolls sideways), in English and Polish, with axe each time.
WIDTHS = {"desktop": 1024, "phone": 320}
LANGUAGES = {"en": "en-GB", "pl": "pl"}


def _look(browser, live_server, width: str, language: str):
    context = browser.new_context(
        base_url=live_server,
        locale=LANGUAGES[language],
        viewport={"width": WIDTHS[width], "height": 900},
    )
    return context, context.new_page()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_results_read_funded_first_then_why_then_receipts(
    browser, live_server, people, width, language
):
    from tests.budgeting.test_explained_results import BOXING, BOXING_BALLOTS, counted_round

    officer, provider = people
    funding_round, _bids = counted_round(officer, provider, BOXING, BOXING_BALLOTS, pot=10000)
    context, page = _look(browser, live_server, width, language)
    page.goto(f"/participatory-budgeting/{funding_round.id}/results")
    headings = page.locator("main h2").all_inner_texts()
    words = {
        "en": ("Funded projects", "How the money was shared", "The details"),
        "pl": ("Projekty z finansowaniem", "Na co poszły pieniądze", "Szczegóły"),
    }[language]
    assert [h for h in headings if h in words] == list(words)
    why = page.locator(".engage-why-not li")
    expect(why).to_have_count(1)
    expect(why).to_contain_text(
        "All 8 people who backed Friday night boxing had already spent their share"
        if language == "en"
        else "Każda z 8 osób, które poparły projekt „Friday night boxing”"
    )
    expect(page.locator(".engage-fairness")).to_contain_text(
        "12 of 12 voters (100%) backed at least one funded project."
        if language == "en"
        else "12 z 12 wyborców (100%) poparło co najmniej jeden projekt"
    )
    expect(page.locator("#how-the-money-was-shared")).to_contain_text(
        "With the most votes first, it would have been"
        if language == "en"
        else "Gdyby najpierw wybierać projekty z największą liczbą głosów"
    )
    picture = page.get_by_role("img", name=re.compile("pot|pulę"))
    expect(picture).to_be_visible()
    assert picture.bounding_box()["width"] <= WIDTHS[width]
    expect(page.locator(".engage-picture ol li")).to_have_count(3)  # its text equivalent
    table = page.get_by_role("region", name=re.compile("Every shortlisted|Wszystkie projekty"))
    table.focus()
    expect(table).to_be_focused()
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_ballot_says_when_it_closes_and_asks_before_an_empty_ballot(
    browser, live_server, people, width, language
):
    from datetime import timedelta

    from engage.extensions import db
    from engage.i18n import london_now

    officer, provider = people
    funding_round, _bids = _to_voting(officer, provider)
    funding_round.schedule = {"counting": (london_now().date() + timedelta(days=5)).isoformat()}
    db.session.commit()
    context, page = _look(browser, live_server, width, language)
    sign_in(page, create_user(Role.YOUTH_AMBASSADOR), language)
    page.goto(f"/participatory-budgeting/{funding_round.id}/vote")
    closes = page.locator(".engage-closes")
    expect(closes).to_contain_text(
        "Voting closes on" if language == "en" else "Głosowanie kończy się"
    )
    expect(page.locator("#ballot-hint")).to_contain_text(
        "their costs may add up to more than the pot"
        if language == "en"
        else "ich koszty mogą razem przekroczyć pulę"
    )
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role(
        "button", name="Save my vote" if language == "en" else "Zapisz mój głos"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have not chosen anything. Save an empty ballot?"
        if language == "en"
        else "Nie wybrali Państwo żadnego projektu. Zapisać pustą kartę?"
    )
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role(
        "button",
        name="Yes, save an empty ballot" if language == "en" else "Tak, zapisz pustą kartę",
    ).click()
    expect(
        page.get_by_text(
            re.compile(
                "Your empty ballot is saved" if language == "en" else "Pusta karta została zapisana"
            )
        )
    ).to_be_visible()
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    context.close()


def test_ticking_past_the_pot_says_that_is_fine(page, people):
    officer, provider = people
    funding_round, _bids = _to_voting(officer, provider)
    sign_in(page, create_user(Role.YOUTH_AMBASSADOR))
    page.goto(f"/participatory-budgeting/{funding_round.id}/vote")
    for title in ("Boxing club kit", "Youth bus", "Mentoring"):
        page.get_by_label(re.compile(f"^{re.escape(title)} – ")).check()
    expect(page.locator("#ballot-total")).to_have_text(
        "Projects chosen: 3. Their cost: £62,500 of the £50,000 pot. "
        "That is more than the pot, and that is fine: the count decides what fits."
    )
