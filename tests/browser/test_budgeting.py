"""Youth ambassadors vote in Chromium with each ballot type; results read in plain words;
axe finds nothing on the ballot, round and results pages."""

import re

import pytest
from playwright.sync_api import expect

from engage.accounts.roles import Role
from engage.budgeting import logic, voting
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
    ("kind", "extra", "fill"),
    [
        ("approval", {}, {"Boxing club kit": "tick", "Mentoring": "tick"}),
        ("k_approval", {"max_choices": 2}, {"Youth bus": "tick"}),
        ("points", {"points": 10}, {"Girls' football": "6", "Mentoring": "4"}),
    ],
)
def test_an_ambassador_votes_and_gets_a_receipt(page, people, kind, extra, fill):
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
            create_user(Role.YOUTH_AMBASSADOR), funding_round, {bids[i].id: 1 for i in choices}
        )
    logic.advance_phase(officer, funding_round)
    result = voting.count_and_record(officer, funding_round)
    logic.advance_phase(officer, funding_round)
    page.goto("/participatory-budgeting")
    page.get_by_role("link", name="Youth fund").click()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_text("4 of 4 youth ambassadors voted")).to_be_visible()
    funded = page.locator("tbody tr", has_text="Funded").filter(has=page.locator(".govuk-tag"))
    expect(funded).to_have_count(len(result["selected"]))
    expect(
        page.get_by_text("Everyone started with the same share of the pot: £12,500.00 each")
    ).to_be_visible()
    assert axe_violations(page) == []
