"""Area pots: a round split into a North and a West pot, each with its own bids, ballots and
result; ambassadors vote in the pots their areas give."""

import re

import pytest

from engage.accounts.roles import Role
from engage.budgeting import counting, exchange, logic, pots, voting
from engage.budgeting.models import Participation, Phase
from engage.budgeting.rules.pabulib import parse
from tests.budgeting.pages import ROOT, ballot_rows, manage, post_to
from tests.budgeting.test_rounds import _bid_values, _round
from tests.conftest import post_form
from tests.factories import create_user


def _split_round(officer, places, **overrides):
    funding_round = _round(officer, max_bid=20000, **overrides)
    pots.add_pot(officer, funding_round, "North", 30000, [places["north"].id])
    pots.add_pot(officer, funding_round, "West", 20000, [places["west"].id])
    return funding_round


def _ambassador(officer, *areas):
    person = create_user(Role.YOUTH_AMBASSADOR)
    pots.set_areas(officer, person, [a.id for a in areas])
    return person


def _voting(officer, provider, org, funding_round, bids_by_pot):
    logic.advance_phase(officer, funding_round)  # bidding
    bids = {}
    for pot in funding_round.pots:
        for title, cost in bids_by_pot[pot.name]:
            values = {**_bid_values(title, cost), "pot_id": pot.id}
            bids[title] = logic.submit_bid(provider, funding_round, org, values)
    logic.advance_phase(officer, funding_round)  # review
    logic.set_shortlist(officer, funding_round, {b.id for b in bids.values()}, {})
    logic.advance_phase(officer, funding_round)  # voting
    return bids


BIDS = {
    "North": [("Boxing", 12000), ("Bus", 18000), ("Music", 9000)],
    "West": [("Football", 8000), ("Mentors", 15000)],
}


def test_splitting_into_pots_replaces_the_whole_round_pot(people, places):
    officer, _provider, _org = people
    funding_round = _round(officer)
    assert [(p.name, p.amount, p.areas) for p in funding_round.pots] == [("", 50000, [])]
    _split_round_pots = pots.add_pot(officer, funding_round, "North", 30000, [places["north"].id])
    assert funding_round.pots == [_split_round_pots] and funding_round.pot == 30000
    pots.add_pot(officer, funding_round, "West", 25000, [places["west"].id])
    assert funding_round.pot == 55000
    with pytest.raises(logic.RoundError) as error:
        pots.add_pot(officer, funding_round, "East", 1000, [])
    assert error.value.field == "areas"
    with pytest.raises(logic.RoundError, match="split into area pots"):
        logic.update_round(officer, funding_round, {"pot": 60000})
    for pot in list(funding_round.pots):
        pots.remove_pot(officer, pot)
    assert [(p.name, p.amount, p.areas) for p in funding_round.pots] == [("", 25000, [])]
    assert funding_round.pot == 25000


def test_pots_are_fixed_once_bidding_opens(people, places):
    officer, _provider, _org = people
    funding_round = _split_round(officer, places)
    logic.advance_phase(officer, funding_round)
    with pytest.raises(logic.RoundError, match="draft"):
        pots.add_pot(officer, funding_round, "South", 5000, [places["west"].id])
    with pytest.raises(logic.RoundError, match="draft"):
        pots.remove_pot(officer, funding_round.pots[0])


def test_a_bid_goes_into_a_pot_and_keeps_to_its_size(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    logic.advance_phase(officer, funding_round)
    west = funding_round.pots[1]
    with pytest.raises(logic.RoundError) as error:
        logic.submit_bid(provider, funding_round, org, _bid_values("No pot", 100))
    assert error.value.field == "pot_id"
    with pytest.raises(logic.RoundError, match="up to £20,000"):
        logic.submit_bid(
            provider, funding_round, org, {**_bid_values("Big", 25000), "pot_id": west.id}
        )


def test_voting_needs_a_shortlisted_bid_in_every_pot(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    logic.advance_phase(officer, funding_round)
    north = funding_round.pots[0]
    bid = logic.submit_bid(
        provider, funding_round, org, {**_bid_values("A", 100), "pot_id": north.id}
    )
    logic.advance_phase(officer, funding_round)
    logic.set_shortlist(officer, funding_round, {bid.id}, {})
    with pytest.raises(logic.RoundError, match="each pot: West"):
        logic.advance_phase(officer, funding_round)


def test_ambassadors_vote_in_the_pots_of_their_areas(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    bids = _voting(officer, provider, org, funding_round, BIDS)
    north, west = funding_round.pots
    from_ward = _ambassador(officer, places["ward"])  # a ward inside the North LAP
    from_both = _ambassador(officer, places["north"], places["west"])
    nowhere = create_user(Role.YOUTH_AMBASSADOR)
    assert pots.eligible_pots(from_ward, funding_round) == [north]
    assert pots.eligible_pots(from_both, funding_round) == [north, west]
    assert pots.eligible_pots(nowhere, funding_round) == []
    with pytest.raises(logic.RoundError, match="other areas"):
        voting.cast_ballot(from_ward, west, {bids["Football"].id: 1})
    with pytest.raises(logic.RoundError, match="shortlisted projects in this pot"):
        voting.cast_ballot(from_ward, north, {bids["Football"].id: 1})
    voting.cast_ballot(from_ward, north, {bids["Boxing"].id: 1})
    voting.cast_ballot(from_both, north, {bids["Bus"].id: 1})
    voting.cast_ballot(from_both, west, {bids["Mentors"].id: 1})
    assert voting.turnout(north) == (2, 2) and voting.turnout(west) == (1, 1)


def test_each_pot_is_counted_on_its_own_money_and_exported_apart(people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places, rule="greedy")
    bids = _voting(officer, provider, org, funding_round, BIDS)
    north, west = funding_round.pots
    for choice in ("Boxing", "Boxing", "Bus", "Bus", "Bus"):
        voting.cast_ballot(_ambassador(officer, places["north"]), north, {bids[choice].id: 1})
    for choice in ("Mentors", "Football"):
        voting.cast_ballot(_ambassador(officer, places["west"]), west, {bids[choice].id: 1})
    logic.advance_phase(officer, funding_round)
    result = counting.count_and_record(officer, funding_round)
    by_name = {record.name: record for record in result.pots}
    # North has £30,000: Bus (3 votes, £18,000) then Boxing (£12,000); Music had no votes.
    assert by_name["North"].selected == [str(bids["Bus"].id), str(bids["Boxing"].id)]
    assert by_name["North"].left == 0
    # West has £20,000: Mentors and Football tie on votes; the cheaper comes first.
    assert by_name["West"].selected == [str(bids["Football"].id)]
    assert by_name["West"].left == 12000
    assert result.cost == 38000
    election = parse(exchange.export_pb(west))
    assert election.meta["subunit"] == "West" and election.budget == 20000
    assert sorted(election.costs) == sorted([str(bids["Football"].id), str(bids["Mentors"].id)])
    logic.advance_phase(officer, funding_round)
    assert funding_round.phase == Phase.PUBLISHED
    assert len(logic.funded_projects(funding_round)) == 3


def test_a_project_no_one_voted_for_is_not_funded(people, places):
    officer, provider, org = people
    funding_round = _round(officer, rule="greedy")
    bids = _voting(
        officer, provider, org, funding_round, {"": [("Liked", 1000), ("Ignored", 1000)]}
    )
    liked, ignored = bids["Liked"], bids["Ignored"]
    voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), funding_round.pots[0], {liked.id: 1})
    logic.advance_phase(officer, funding_round)
    result = counting.count_and_record(officer, funding_round)
    assert result.selected == [str(liked.id)] and result.left == 49000
    assert result.pots[0].totals[str(ignored.id)] == 0


def test_an_online_participation_is_never_mistaken_for_a_paper_vote(people, places, db_session):
    officer, provider, org = people
    funding_round = _round(officer)
    bid = _voting(officer, provider, org, funding_round, {"": [("A", 100)]})["A"]
    pot = funding_round.pots[0]
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    # Another tab has written the participation but not yet the ballot.
    db_session.add(Participation(round_id=funding_round.id, pot_id=pot.id, user_id=ambassador.id))
    db_session.commit()
    assert not voting.voted_on_paper(ambassador, pot)
    assert voting.cast_ballot(ambassador, pot, {bid.id: 1}).receipt


def test_a_receipt_code_clash_is_retried(people, monkeypatch):
    officer, provider, org = people
    funding_round = _round(officer)
    bid = _voting(officer, provider, org, funding_round, {"": [("A", 100)]})["A"]
    pot = funding_round.pots[0]
    codes = iter(["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(voting.secrets, "token_hex", lambda _n: next(codes))
    first = voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), pot, {bid.id: 1})
    second = voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), pot, {bid.id: 1})
    assert (first.receipt, second.receipt) == ("AAAAAAAA", "BBBBBBBB")


def test_officers_split_a_round_and_set_ambassadors_areas_through_the_pages(
    client, auth, people, places, db_session
):
    officer, provider, org = people
    funding_round = _round(officer)
    auth.sign_in_as(officer)
    page = client.get(manage(funding_round.id)).get_data(as_text=True)
    assert "Split the money into area pots" in page
    add = f"{ROOT}/{funding_round.id}/pots"
    north = {"name": "North", "amount": "£30,000", "areas": [str(places["north"].id)]}
    assert post_to(client, manage(funding_round.id), add, north).status_code == 302
    twice = post_to(client, manage(funding_round.id), add, north)  # a second click
    assert twice.status_code == 400
    assert "already has a pot called North" in twice.get_data(as_text=True)
    bad = post_to(client, manage(funding_round.id), add, {"name": "", "amount": "10"})
    assert bad.status_code == 400
    assert "Enter a name for the pot" in bad.get_data(as_text=True)
    assert [(p.name, p.amount) for p in funding_round.pots] == [("North", 30000)]
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    url = f"/participatory-budgeting/ambassadors/{ambassador.id}"
    assert "Corby" in client.get(url).get_data(as_text=True)
    post_form(client, url, {"areas": [str(places["north"].id)]})
    listing = client.get("/participatory-budgeting/ambassadors").get_data(as_text=True)
    assert re.search(rf"{ambassador.display_name}</td>\s*<td[^>]*>Corby<", listing)
    assert pots.areas_of(ambassador) == [places["north"]]
    assert client.get("/participatory-budgeting/ambassadors/99999").status_code == 404


def test_a_provider_chooses_the_pot_and_an_ambassador_with_two_pots_chooses_where_to_vote(
    app, client, auth, people, places
):
    officer, provider, org = people
    funding_round = _split_round(officer, places, priorities="Safe places\nMentoring")
    logic.advance_phase(officer, funding_round)
    auth.sign_in_as(provider)
    form = client.get(f"/participatory-budgeting/{funding_round.id}/bids/new")
    text = form.get_data(as_text=True)
    assert "Which pot" in text and "North (Corby)" in text and "Mentoring" in text
    sent = post_form(
        client,
        f"/participatory-budgeting/{funding_round.id}/bids/new",
        {
            "organisation": str(org.id),
            "pot_id": str(funding_round.pots[1].id),
            "theme": "Mentoring",
            "title": "Mentors",
            "summary": "Plain words.",
            "cost": "5000",
            "prevention_level": "primary",
        },
    )
    assert sent.status_code == 302
    assert funding_round.bids[0].pot == funding_round.pots[1]
    assert funding_round.bids[0].theme == "Mentoring"
    north = logic.submit_bid(
        provider,
        funding_round,
        org,
        {**_bid_values("Boxing", 100), "pot_id": funding_round.pots[0].id},
    )
    logic.advance_phase(officer, funding_round)
    logic.set_shortlist(officer, funding_round, {north.id, funding_round.bids[0].id}, {})
    logic.advance_phase(officer, funding_round)
    voter = app.test_client()
    both = _ambassador(officer, places["north"], places["west"])
    post_form(voter, "/sign-in", {"email": both.email, "password": "correct horse battery"})
    choice = voter.get(f"/participatory-budgeting/{funding_round.id}/vote").get_data(as_text=True)
    assert "Vote in the North pot (£30,000)" in choice and "Vote in the West pot" in choice
    west_url = f"/participatory-budgeting/{funding_round.id}/pots/{funding_round.pots[1].id}/vote"
    ballot = voter.get(west_url).get_data(as_text=True)
    assert "Mentors" in ballot and "Boxing" not in ballot
    assert "Projects chosen: 0. Their cost: £0 of the £20,000 pot." in ballot
    saved = post_form(
        voter, west_url, ballot_rows({funding_round.bids[0].id: 1}), follow_redirects=True
    )
    assert "Projects chosen: 1. Their cost: £5,000 of the £20,000 pot." in saved.get_data(
        as_text=True
    )
    only_north = _ambassador(officer, places["ward"])
    other = app.test_client()
    post_form(other, "/sign-in", {"email": only_north.email, "password": "correct horse battery"})
    assert other.get(west_url).status_code == 403


def test_results_csv_cells_cannot_run_as_spreadsheet_formulas(people, client):
    officer, provider, org = people
    funding_round = _round(officer)
    bid = _voting(officer, provider, org, funding_round, {"": [("=HYPERLINK(1)", 100)]})[
        "=HYPERLINK(1)"
    ]
    voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), funding_round.pots[0], {bid.id: 1})
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    logic.advance_phase(officer, funding_round)
    csv_text = client.get(f"/participatory-budgeting/{funding_round.id}/results.csv").get_data(
        as_text=True
    )
    assert ",'=HYPERLINK(1)," in csv_text


def test_a_ballot_is_found_only_at_its_own_round_and_never_in_a_draft(app, client, auth, people,
                                                                      places):  # fmt: skip
    """The ballot reads its pot with the round's other pots in one go: an address naming
    another round's pot, a pot that is not there, a draft round, or an id past what the routes
    take is still a 404, and a pot of another area a 403."""
    officer, provider, org = people
    voting_round = _split_round(officer, places)
    _voting(officer, provider, org, voting_round, BIDS)
    draft = _split_round(officer, places)
    north, west = voting_round.pots
    auth.sign_in_as(_ambassador(officer, places["ward"]))
    page = "/participatory-budgeting/{}/pots/{}/vote"
    assert client.get(page.format(voting_round.id, north.id)).status_code == 200
    assert client.get(page.format(voting_round.id, west.id)).status_code == 403
    for round_id, pot_id in [
        (draft.id, north.id),  # another round's pot
        (voting_round.id, draft.pots[0].id),
        (voting_round.id, 10**9),
        (draft.id, draft.pots[0].id),  # a draft: officers' alone
        (2**31, north.id),  # past what the routes take
    ]:
        assert client.get(page.format(round_id, pot_id)).status_code == 404, (round_id, pot_id)
