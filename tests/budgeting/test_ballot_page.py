"""The ballot says when voting closes, asks before saving an empty ballot (no JavaScript
needed: the empty ballot posts to a question, and only its own button saves it), and says
plainly that ticked projects may cost more than the pot. An empty ballot counts as taking
part, not in the count."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.budgeting import counting, logic, voting
from engage.budgeting.models import Ballot, Participation
from engage.i18n import london_now
from tests.budgeting.pages import ROOT, ballot_rows, post_to
from tests.budgeting.test_rounds import _to_voting
from tests.factories import create_user


def _ballot_page(funding_round) -> str:
    return f"{ROOT}/{funding_round.id}/pots/{funding_round.pots[0].id}/vote"


def test_the_ballot_says_when_voting_closes(client, auth, officer, provider, db_session):
    funding_round, _bids = _to_voting(officer, provider)
    closes = london_now().date() + timedelta(days=9)
    funding_round.schedule = {"counting": closes.isoformat()}
    db_session.commit()
    auth.sign_in_as(create_user(Role.YOUTH_AMBASSADOR))
    page = client.get(_ballot_page(funding_round)).get_data(as_text=True)
    assert (
        f"Voting closes on {closes:%A} {closes.day} {closes:%B %Y}. Vote before that day." in page
    )
    polish = client.get(_ballot_page(funding_round), headers={"Accept-Language": "pl"})
    assert "Głosowanie kończy się" in polish.get_data(as_text=True)


def test_a_ballot_with_no_closing_date_says_who_closes_it(
    client, auth, officer, provider, db_session
):
    funding_round, _bids = _to_voting(officer, provider)
    funding_round.schedule = {"counting": (date.today() - timedelta(days=3)).isoformat()}
    db_session.commit()
    auth.sign_in_as(create_user(Role.YOUTH_AMBASSADOR))
    page = client.get(_ballot_page(funding_round)).get_data(as_text=True)
    assert "Voting has no closing date yet. It closes when an officer closes it." in page


def test_tick_any_says_the_total_may_go_over_the_pot(client, auth, officer, provider):
    funding_round, bids = _to_voting(officer, provider)  # £50,000 pot, bids of £77,500
    auth.sign_in_as(create_user(Role.YOUTH_AMBASSADOR))
    page = _ballot_page(funding_round)
    text = client.get(page).get_data(as_text=True)
    assert "their costs may add up to more than the pot" in text
    post_to(client, page, page, ballot_rows({b.id: 1 for b in bids}))
    saved = client.get(page).get_data(as_text=True)
    assert "Their cost: £77,500 of the £50,000 pot." in saved
    assert "That is more than the pot, and that is fine: the count decides what fits." in saved


def test_an_empty_ballot_is_asked_about_before_it_is_saved(client, auth, officer, provider):
    funding_round, bids = _to_voting(officer, provider)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    auth.sign_in_as(ambassador)
    page = _ballot_page(funding_round)
    asked = post_to(client, page, page, ballot_rows(dict.fromkeys((b.id for b in bids), 0)))
    assert asked.status_code == 200
    question = asked.get_data(as_text=True)
    assert "You have not chosen anything. Save an empty ballot?" in question
    assert voting.ballot_of(ambassador, funding_round.pots[0]) is None  # nothing saved yet
    action = re.search(r'action="([^"]+/vote/empty)"', question).group(1)
    saved = post_to(client, page, action, {}, follow_redirects=True)
    assert re.search(r"Your empty ballot is saved. Your receipt code is [0-9A-F]{8}", saved.text)
    assert "You saved an empty ballot." in saved.text
    assert voting.ballot_of(ambassador, funding_round.pots[0]).choices == {}


def test_an_empty_ballot_replaces_a_vote_only_when_confirmed(client, auth, officer, provider):
    funding_round, bids = _to_voting(officer, provider)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    voting.cast_ballot(ambassador, funding_round.pots[0], {bids[0].id: 1})
    auth.sign_in_as(ambassador)
    page = _ballot_page(funding_round)
    asked = post_to(client, page, page, ballot_rows({bids[0].id: 0}))
    assert "This replaces the projects you chose before." in asked.get_data(as_text=True)
    assert voting.ballot_of(ambassador, funding_round.pots[0]).choices == {str(bids[0].id): 1}


def test_an_empty_ballot_cannot_be_saved_once_voting_has_closed(client, auth, officer, provider):
    funding_round, _bids = _to_voting(officer, provider)
    auth.sign_in_as(create_user(Role.YOUTH_AMBASSADOR))
    page = _ballot_page(funding_round)
    token_page = client.get(page)
    logic.advance_phase(officer, funding_round)  # counting
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', token_page.text)
    late = client.post(page + "/empty", data={"csrf_token": token.group(1)})
    assert late.status_code == 400
    assert "Voting is not open in this round" in late.get_data(as_text=True)


def test_an_empty_ballot_is_turnout_not_a_vote(officer, provider, db_session):
    funding_round, bids = _to_voting(officer, provider)
    pot = funding_round.pots[0]
    voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), pot, {bids[0].id: 1})
    with pytest.raises(logic.RoundError, match="Choose at least one project"):
        voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), pot, {})
    voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), pot, {}, empty=True)
    assert len(db_session.scalars(select(Participation)).all()) == 2
    assert len(db_session.scalars(select(Ballot)).all()) == 2
    assert len(counting.election_of(pot).ballots) == 1
    logic.advance_phase(officer, funding_round)
    record = counting.count_and_record(officer, funding_round).pots[0]
    assert (record.voted, record.ballots, record.choosers, record.empty_ballots) == (2, 2, 1, 1)
    assert len(record.receipts) == 2
    assert record.equal_share == 50000  # the one voter who chose holds the whole pot
