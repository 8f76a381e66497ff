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


def sign_in(page, user):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
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
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose up to 1 projects")
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
        page.get_by_text("Everyone started with the same share of the pot: £12,500.00 each")
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
        resident.get_by_text("Everyone started with the same share of the pot: £6,666.67 each")
    ).to_be_visible()
    expect(resident.get_by_text("Street football was funded")).to_be_visible()
    assert axe_violations(resident) == []
    context.close()
