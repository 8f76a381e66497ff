"""Nothing links a person or a receipt to a ballot, except the voter's own view of their vote:
ballots cast in a known order leave no trace of that order in ballot ids, receipts, stored
times or the published file; officers see turnout, never a tally, until voting closes."""

from itertools import combinations_with_replacement

import numpy as np
import pytest
from sqlalchemy import Date, DateTime, delete, inspect, select

from engage.accounts.roles import Role
from engage.budgeting import counting, exchange, logic, voting
from engage.budgeting.models import Ballot, Participation, Phase
from engage.budgeting.rules.pabulib import parse
from engage.extensions import db
from tests.budgeting.pages import ROOT
from tests.budgeting.test_rounds import _to_voting
from tests.factories import create_user

VOTERS = 40
LIMIT = 0.9  # |rank correlation| a random order reaches with odds far below 1 in 10^12


def rank_correlation(first: list, second: list) -> float:
    """Spearman's rho between two orderings of the same people."""
    ranks = [np.argsort(np.argsort(values)) for values in (first, second)]
    return float(np.corrcoef(*ranks)[0, 1])


def distinct_ballots(bids, count: int) -> list[dict[int, int]]:
    """`count` different points ballots (10 points over the shortlist), one per voter."""
    found = []
    for split in combinations_with_replacement(range(len(bids)), 10):
        found.append({bids[i].id: split.count(i) for i in set(split)})
        if len(found) == count:
            return found
    raise AssertionError("not enough ballots")


@pytest.fixture
def points_round(people):
    officer, provider, org = people
    funding_round, bids = _to_voting(officer, (provider, org), ballot_type="points", points=10)
    return officer, funding_round, bids


def _cast_in_order(funding_round, ballots) -> list:
    people = [create_user(Role.YOUTH_AMBASSADOR) for _ in ballots]
    for person, choices in zip(people, ballots, strict=True):
        voting.cast_ballot(person, funding_round.pots[0], choices)
    return people


def _votes_section(text: str) -> str:
    return text[text.index("VOTES") :]


def test_ballots_and_participations_hold_no_time(app):
    for table in ("pb_ballots", "pb_participations"):
        columns = inspect(db.engine).get_columns(table)
        assert not [c["name"] for c in columns if isinstance(c["type"], DateTime | Date)]


def test_cast_order_leaves_no_trace_in_ids_receipts_or_the_file(points_round):
    officer, funding_round, bids = points_round
    ballots = distinct_ballots(bids, VOTERS)
    people = _cast_in_order(funding_round, ballots)
    participation_order = [
        p.user_id for p in db.session.scalars(select(Participation).order_by(Participation.id))
    ]
    assert participation_order == [p.id for p in people]  # participations do keep their order
    ballot_of = {p.id: voting.ballot_of(p, funding_round.pots[0]) for p in people}
    cast_rank = list(range(VOTERS))
    assert abs(rank_correlation(cast_rank, [ballot_of[p.id].id for p in people])) < LIMIT
    assert abs(rank_correlation(cast_rank, [ballot_of[p.id].receipt for p in people])) < LIMIT
    assert sorted(b.id for b in ballot_of.values()) != list(range(1, VOTERS + 1))
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    text = exchange.export_pb(funding_round.pots[0])
    election = parse(text)
    voter_id = {
        tuple(sorted((int(k), int(v)) for k, v in ballot.items())): number
        for number, ballot in enumerate(election.ballots, start=1)
    }
    exported = [voter_id[tuple(sorted(ballots[i].items()))] for i in cast_rank]
    assert abs(rank_correlation(cast_rank, exported)) < LIMIT
    receipts = [ballot_of[p.id].receipt for p in people]
    assert abs(rank_correlation(receipts, exported)) < LIMIT
    # The strongest form: the same ballots cast in the reverse order, by other people, give
    # the very same file of votes.
    first = _votes_section(text)
    db.session.execute(delete(Ballot))
    db.session.execute(delete(Participation))
    funding_round.phase, funding_round.result = Phase.VOTING, None
    db.session.commit()
    _cast_in_order(funding_round, list(reversed(ballots)))
    funding_round.phase = Phase.COUNTING
    db.session.commit()
    counting.count_and_record(officer, funding_round)
    assert _votes_section(exchange.export_pb(funding_round.pots[0])) == first


def test_officers_see_turnout_and_never_a_tally_while_voting_is_open(client, auth, points_round):
    officer, funding_round, bids = points_round
    ballots = distinct_ballots(bids, 3)
    _cast_in_order(funding_round, ballots)
    auth.sign_in_as(officer)
    base = f"{ROOT}/{funding_round.id}"
    for url in (f"{base}/manage", f"{base}/manage?what_if=mes", f"{base}/manage?what_if=greedy"):
        page = client.get(url).get_data(as_text=True)
        assert "3 of 3 ambassadors" in page
        assert "Funded" not in page and "What if" not in page
        for bid in bids:
            assert f"{bid.title} (" not in page  # no totals beside a title
    pot = funding_round.pots[0]
    assert client.get(f"{base}/results").status_code == 404
    assert client.get(f"{base}/results.csv").status_code == 404
    assert client.get(f"{base}/pots/{pot.id}/results.pb").status_code == 404
    with pytest.raises(logic.RoundError):
        counting.what_if(funding_round, funding_round.rule)
    with pytest.raises(logic.RoundError):
        exchange.export_pb(pot)


def test_the_results_file_holds_totals_only(points_round):
    officer, funding_round, bids = points_round
    _cast_in_order(funding_round, distinct_ballots(bids, 3))
    logic.advance_phase(officer, funding_round)
    counting.count_and_record(officer, funding_round)
    header = counting.results_csv(funding_round).splitlines()[0]
    assert "receipt" not in header and "voter" not in header
