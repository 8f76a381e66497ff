"""A funding round from set-up to published results, and the rules a ballot must keep."""

import re

import pytest
from sqlalchemy import inspect, select

from engage.accounts.roles import Role
from engage.asset_map.models import Organisation, OrganisationMember
from engage.budgeting import counting, exchange, logic, voting
from engage.budgeting.models import Ballot, Participation, Phase
from engage.budgeting.rules import Satisfaction
from engage.budgeting.rules.mes import equal_shares_add1_units
from tests.budgeting.pages import ROOT, advance, ballot_rows, post_to, shortlist_rows
from tests.conftest import post_form
from tests.factories import create_user

BIDS = [
    ("Boxing club kit", 20000),
    ("Girls' football", 15000),
    ("Mentoring", 12500),
    ("Youth bus", 30000),
]


@pytest.fixture
def officer(db_session):
    return create_user(Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def provider(db_session):
    user = create_user(Role.VCSE_PROVIDER)
    org = Organisation(name="Corby Youth Boxing Club")
    db_session.add_all([org, OrganisationMember(organisation=org, user=user, status="approved")])
    db_session.commit()
    return user, org


def _round(officer, **overrides):
    values = {
        "title": "Youth fund",
        "description": "",
        "pot": 50000,
        "max_bid": 30000,
        "ballot_type": "approval",
        "max_choices": None,
        "points": None,
        "rule": "mes",
    }
    values.update(overrides)
    return logic.create_round(officer, values)


def _bid_values(title, cost):
    return {
        "title": title,
        "summary": "Plain words.",
        "cost": cost,
        "area": "Corby",
        "prevention_level": "primary",
        "minimum_age": 11,
        "maximum_age": 18,
        "reach": 40,
        "evidence": "",
    }


def _to_voting(officer, provider, **overrides):
    user, org = provider
    funding_round = _round(officer, **overrides)
    logic.advance_phase(officer, funding_round)  # bidding
    bids = [logic.submit_bid(user, funding_round, org, _bid_values(t, c)) for t, c in BIDS]
    logic.advance_phase(officer, funding_round)  # review
    logic.set_shortlist(officer, funding_round, {b.id for b in bids}, {})
    logic.advance_phase(officer, funding_round)  # voting
    return funding_round, bids


def test_phases_move_forward_only_when_ready_and_are_logged(officer, provider):
    funding_round = _round(officer)
    logic.advance_phase(officer, funding_round)
    with pytest.raises(logic.RoundError, match="no bids"):
        logic.advance_phase(officer, funding_round)
    assert [c.to_phase for c in funding_round.phase_changes] == ["bidding"]


def test_bids_are_checked(officer, provider):
    user, org = provider
    funding_round = _round(officer)
    with pytest.raises(logic.RoundError, match="while bidding is open"):
        logic.submit_bid(user, funding_round, org, _bid_values("Early", 100))
    logic.advance_phase(officer, funding_round)
    with pytest.raises(logic.RoundError) as error:
        logic.submit_bid(user, funding_round, org, _bid_values("Too dear", 40000))
    assert error.value.field == "cost"
    stranger = create_user(Role.VCSE_PROVIDER)
    with pytest.raises(logic.RoundError, match="look after"):
        logic.submit_bid(stranger, funding_round, org, _bid_values("Not mine", 100))


def test_every_bid_not_shortlisted_needs_a_reason(officer, provider):
    user, org = provider
    funding_round = _round(officer)
    logic.advance_phase(officer, funding_round)
    first = logic.submit_bid(user, funding_round, org, _bid_values("A", 100))
    second = logic.submit_bid(user, funding_round, org, _bid_values("B", 100))
    logic.advance_phase(officer, funding_round)
    with pytest.raises(logic.RoundError, match="B"):
        logic.set_shortlist(officer, funding_round, {first.id}, {})
    logic.set_shortlist(officer, funding_round, {first.id}, {second.id: "Outside the area"})
    assert second.status == "not_shortlisted" and second.reason == "Outside the area"


def test_ballot_rules_are_checked_on_the_server(officer, provider):
    funding_round, bids = _to_voting(officer, provider, ballot_type="knapsack")
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    with pytest.raises(logic.RoundError, match="cost more than"):
        voting.cast_ballot(
            ambassador, funding_round.pots[0], {bids[0].id: 1, bids[3].id: 1, bids[1].id: 1}
        )
    with pytest.raises(logic.RoundError, match="shortlisted"):
        voting.cast_ballot(ambassador, funding_round.pots[0], {99999: 1})
    with pytest.raises(logic.RoundError, match="Only youth ambassadors"):
        voting.cast_ballot(officer, funding_round.pots[0], {bids[0].id: 1})


@pytest.mark.parametrize(
    ("kind", "extra", "bad", "message"),
    [
        ("k_approval", {"max_choices": 2}, {0: 1, 1: 1, 2: 1}, "up to 2"),
        ("points", {"points": 10}, {0: 6, 1: 5}, "no more than 10"),
        ("approval", {}, {0: 2}, "at most once"),
    ],
)
def test_each_ballot_type_keeps_its_limit(officer, provider, kind, extra, bad, message):
    funding_round, bids = _to_voting(officer, provider, ballot_type=kind, **extra)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    with pytest.raises(logic.RoundError, match=message):
        voting.cast_ballot(
            ambassador, funding_round.pots[0], {bids[i].id: v for i, v in bad.items()}
        )


def test_one_ballot_per_ambassador_changeable_and_secret(officer, provider, db_session):
    funding_round, bids = _to_voting(officer, provider)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    first = voting.cast_ballot(ambassador, funding_round.pots[0], {bids[0].id: 1})
    second = voting.cast_ballot(ambassador, funding_round.pots[0], {bids[1].id: 1, bids[2].id: 1})
    assert first.id == second.id and first.receipt == second.receipt
    assert len(db_session.scalars(select(Ballot)).all()) == 1
    assert len(db_session.scalars(select(Participation)).all()) == 1
    columns = {c["name"] for c in inspect(db_session.get_bind()).get_columns("pb_ballots")}
    assert not columns & {"user_id", "voter_id"}
    assert voting.ballot_of(ambassador, funding_round.pots[0]).choices == {
        str(bids[1].id): 1,
        str(bids[2].id): 1,
    }


def test_no_voting_outside_the_voting_phase(officer, provider):
    funding_round, bids = _to_voting(officer, provider)
    logic.advance_phase(officer, funding_round)  # counting
    with pytest.raises(logic.RoundError, match="not open"):
        voting.cast_ballot(
            create_user(Role.YOUTH_AMBASSADOR), funding_round.pots[0], {bids[0].id: 1}
        )


def test_counting_equals_the_rules_library_and_is_repeatable(officer, provider):
    funding_round, bids = _to_voting(officer, provider)
    votes = [[0, 1], [0, 1], [1, 2], [3], [3, 2], [0]]
    for choices in votes:
        voting.cast_ballot(
            create_user(Role.YOUTH_AMBASSADOR),
            funding_round.pots[0],
            {bids[i].id: 1 for i in choices},
        )
    logic.advance_phase(officer, funding_round)
    result = counting.count_and_record(officer, funding_round)
    election = counting.election_of(funding_round.pots[0])
    expected = equal_shares_add1_units(election, Satisfaction.COST, counting.tie_break(election))
    assert result.selected == result.pots[0].selected == expected.selected
    assert result.cost <= 50000 and result.left == 50000 - result.cost
    assert counting.count_and_record(officer, funding_round) == result
    assert funding_round.counted == result
    assert exchange.export_pb(funding_round.pots[0]) == exchange.export_pb(funding_round.pots[0])
    logic.advance_phase(officer, funding_round)
    assert funding_round.phase == Phase.PUBLISHED
    funded = logic.funded_projects(funding_round)
    assert sorted(str(f.bid_id) for f in funded) == sorted(expected.selected)
    assert sum(f.amount for f in funded) == result.cost


def test_the_whole_round_through_the_pages(app, client, auth, officer, provider, db_session):
    user, org = provider
    auth.sign_in_as(officer)
    response = post_form(
        client,
        "/participatory-budgeting/new",
        {
            "title": "North youth fund",
            "description": "Small projects",
            "pot": "50000",
            "max_bid": "30000",
            "ballot_type": "approval",
            "rule": "mes",
        },
    )
    manage = response.headers["Location"]
    round_id = int(re.search(r"/(\d+)/manage", manage).group(1))
    advance(client, round_id, "draft")
    bidder = app.test_client()
    post_form(bidder, "/sign-in", {"email": user.email, "password": "correct horse battery"})
    for title, cost in BIDS:
        sent = post_form(
            bidder,
            f"{ROOT}/{round_id}/bids/new",
            {
                "organisation": str(org.id),
                "title": title,
                "summary": "Plain words for everyone.",
                "cost": str(cost),
                "prevention_level": "primary",
            },
        )
        assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    advance(client, round_id, "bidding")
    page = client.get(manage).get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'name="bids-\d+-bid_id" value="(\d+)"', page)]
    assert len(ids) == 4
    saved = post_to(client, manage, f"{ROOT}/{round_id}/shortlist", shortlist_rows(ids))
    assert saved.status_code == 302
    advance(client, round_id, "review")
    twice = advance(client, round_id, "review")  # a second click moves nothing further
    assert twice.status_code == 400
    assert "already moved to the voting phase" in twice.get_data(as_text=True)
    for choices in (ids[:2], ids[1:3], [ids[3]]):
        voter = app.test_client()
        ambassador = create_user(Role.YOUTH_AMBASSADOR)
        post_form(
            voter, "/sign-in", {"email": ambassador.email, "password": "correct horse battery"}
        )
        saved = post_form(
            voter,
            voter.get(f"{ROOT}/{round_id}/vote").headers["Location"],
            ballot_rows(dict.fromkeys(choices, 1)),
            follow_redirects=True,
        )
        assert "Your vote is saved" in saved.get_data(as_text=True)
    advance(client, round_id, "voting")
    counted = post_to(
        client, manage, f"{ROOT}/{round_id}/count", {"count-from_phase": "counting"}, "count"
    )
    assert counted.status_code == 302
    advance(client, round_id, "counting")
    client.delete_cookie("session")
    results = client.get(f"/participatory-budgeting/{round_id}/results").get_data(as_text=True)
    assert "3 of 3 youth ambassadors voted" in results
    assert "At first, each of the 3 people who voted had £16,666.67." in results
    pb_link = re.search(r'href="([^"]+/results\.pb)"', results).group(1)
    assert client.get(pb_link).get_data(as_text=True).startswith("META")
    assert "Boxing club kit" in client.get(
        f"/participatory-budgeting/{round_id}/results.csv"
    ).get_data(as_text=True)


def test_officers_count_another_way_only_once_voting_has_closed(client, auth, officer, provider):
    funding_round, bids = _to_voting(officer, provider)
    voting.cast_ballot(create_user(Role.YOUTH_AMBASSADOR), funding_round.pots[0], {bids[0].id: 1})
    auth.sign_in_as(officer)
    url = f"{ROOT}/{funding_round.id}/manage?what_if=greedy"
    during = client.get(url).get_data(as_text=True)
    assert "Funded:" not in during and "What if" not in during
    assert "1 of 1 ambassadors" in during  # turnout, and nothing more
    logic.advance_phase(officer, funding_round)
    assert "Funded: Boxing club kit" in client.get(url).get_data(as_text=True)
    assert funding_round.result is None


def test_a_bidder_changes_a_bid_until_bidding_closes(client, auth, officer, provider):
    user, org = provider
    funding_round = _round(officer)
    logic.advance_phase(officer, funding_round)
    bid = logic.submit_bid(user, funding_round, org, _bid_values("Boxing", 5000))
    auth.sign_in_as(user)
    url = f"/participatory-budgeting/{funding_round.id}/bids/{bid.id}/edit"
    assert 'value="Boxing"' in client.get(url).get_data(as_text=True)
    data = {
        "organisation": str(org.id),
        "title": "Boxing for girls",
        "summary": "Plain words.",
        "cost": "6000",
        "prevention_level": "primary",
    }
    assert post_form(client, url, data).status_code == 302
    assert (bid.title, bid.cost) == ("Boxing for girls", 6000)
    logic.advance_phase(officer, funding_round)
    late = post_form(client, url, {**data, "cost": "7000"})
    assert "while bidding is open" in late.get_data(as_text=True)
    assert bid.cost == 6000
    other = create_user(Role.VCSE_PROVIDER)
    client.delete_cookie("session")
    auth.sign_in_as(other)
    assert client.get(url).status_code == 404


def test_rounds_move_on_by_their_schedule_when_ready(officer, provider):
    from datetime import date

    funding_round = _round(officer, schedule={"bidding": "2026-01-01", "review": "2026-02-01"})
    moved = logic.advance_due(date(2026, 1, 15))
    assert [(r.id, outcome) for r, outcome in moved] == [(funding_round.id, "bidding")]
    assert logic.advance_due(date(2026, 1, 20)) == []
    stuck = logic.advance_due(date(2026, 2, 2))
    assert "not moved" in stuck[0][1] and funding_round.phase == "bidding"
    assert funding_round.phase_changes[0].changed_by_id is None


def test_the_round_form_takes_dates(client, auth, officer):
    auth.sign_in_as(officer)
    response = post_form(
        client,
        "/participatory-budgeting/new",
        {
            "title": "Dated",
            "pot": "1000",
            "max_bid": "500",
            "ballot_type": "approval",
            "rule": "mes",
            "voting_from": ["1", "3", "2027"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    from engage.budgeting.models import Round
    from engage.extensions import db

    assert db.session.query(Round).one().schedule == {"voting": "2027-03-01"}
