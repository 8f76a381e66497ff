"""Two clicks, two officers, one result: requests raced on real threads, each with its own
database connection, against PostgreSQL (released together by `tests.races.at_once`). Each
race is forced: both requests are held at the point between reading and writing until both
have reached it. Every response is a page (no
500), and the database holds exactly one of what was added."""

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.budgeting import logic, paper, pots, review, voting
from engage.budgeting.models import (
    Ballot,
    Bid,
    PaperEntry,
    Participation,
    PhaseChange,
    Pot,
    Reviewer,
    Score,
)
from engage.extensions import db
from tests.budgeting.pages import ROOT, ballot_rows, csrf_token, signed_in
from tests.budgeting.test_pots import _ambassador, _split_round, _voting
from tests.database_urls import is_postgres
from tests.factories import create_user
from tests.races import HOLD, at_once, meet_there

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="races are run against PostgreSQL"),
]


def race(*requests: Callable[[], object]) -> list:
    """Run the requests at once; their responses, each a page and none a server error."""
    db.session.commit()  # the test's own connection holds nothing the racers wait for
    responses = at_once(*requests)
    assert not [r for r in responses if isinstance(r, BaseException)], responses
    assert all(r.status_code < 500 for r in responses), responses
    db.session.expire_all()
    return responses


def poster(client, page: str, action: str, data: dict, prefix: str = ""):
    """A request ready to send: the form's token taken now, from the page that shows it."""
    token = csrf_token(client, page)
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return lambda: client.post(action, data={**data, name: token})


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def open_round(app, people, places):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    bids = _voting(
        officer, provider, org, funding_round, {"North": [("A", 100)], "West": [("B", 100)]}
    )
    return officer, funding_round, bids, places


def test_two_officers_entering_the_same_paper_at_once_make_one_entry(app, open_round, monkeypatch):
    officer, funding_round, bids, places = open_round
    pot, other = funding_round.pots[0], create_user(Role.ENGAGEMENT_OFFICER)
    paper.record_paper_voter(officer, pot, _ambassador(officer, places["north"]))
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/paper-ballots"
    data = {"paper_ref": "12", **ballot_rows({bids["A"].id: 1})}
    sends = [poster(signed_in(app, o), url, url + "/papers", data) for o in (officer, other)]
    meet_there(monkeypatch, paper, "_first_entry")
    race(*sends)
    assert count(PaperEntry) == 1
    entry = db.session.scalars(select(PaperEntry)).one()
    assert entry.status == "matched" and count(Ballot) == 1  # the later one was the second entry


def test_an_officer_who_looked_just_before_another_entered_the_paper_makes_the_second_entry(
    app, open_round, monkeypatch
):
    """Both look for paper 12 and find none; one enters it and commits; only then does the
    other go on. Its entry is the second (a ballot), not a refusal as if the pot had as many
    papers as paper voters already (the first entry had been counted among them)."""
    officer, funding_round, bids, places = open_round
    pot, other = funding_round.pots[0], create_user(Role.ENGAGEMENT_OFFICER)
    paper.record_paper_voter(officer, pot, _ambassador(officer, places["north"]))
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/paper-ballots"
    data = {"paper_ref": "12", **ballot_rows({bids["A"].id: 1})}
    first, second = (
        poster(signed_in(app, o), url, url + "/papers", data) for o in (officer, other)
    )
    entered, first_thread, looked = threading.Event(), [], threading.Barrier(2)
    original, held = paper._first_entry, set()

    def enter_first():
        first_thread.append(threading.get_ident())
        try:
            return first()
        finally:
            entered.set()  # its entry is committed

    def after_the_other(*args, **kwargs):
        if threading.get_ident() not in held:
            held.add(threading.get_ident())
            looked.wait(timeout=HOLD)  # both have looked for the paper and found none
            if threading.get_ident() not in first_thread:
                entered.wait(timeout=HOLD)
        return original(*args, **kwargs)

    monkeypatch.setattr(paper, "_first_entry", after_the_other)
    assert [r.status_code for r in race(enter_first, second)] == [302, 302]
    entry = db.session.scalars(select(PaperEntry)).one()
    assert entry.status == "matched" and count(Ballot) == 1


def test_two_officers_matching_a_paper_at_once_count_it_once(app, open_round, monkeypatch):
    officer, funding_round, bids, places = open_round
    pot = funding_round.pots[0]
    paper.record_paper_voter(officer, pot, _ambassador(officer, places["north"]))
    paper.enter_paper_ballot(officer, pot, "12", {bids["A"].id: 1})
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/paper-ballots"
    data = {"paper_ref": "12", **ballot_rows({bids["A"].id: 1})}
    seconds = [create_user(Role.ENGAGEMENT_OFFICER) for _ in range(2)]
    sends = [poster(signed_in(app, o), url, url + "/papers", data) for o in seconds]
    meet_there(monkeypatch, paper, "check_ballot")
    responses = race(*sends)
    assert count(Ballot) == 1 and count(PaperEntry) == 1
    assert sorted(r.status_code for r in responses) == [302, 400]


def test_a_double_click_on_the_first_entry_makes_one_entry(app, open_round, monkeypatch):
    officer, funding_round, bids, places = open_round
    pot = funding_round.pots[0]
    paper.record_paper_voter(officer, pot, _ambassador(officer, places["north"]))
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/paper-ballots"
    client = signed_in(app, officer)
    send = poster(
        client, url, url + "/papers", {"paper_ref": "3", **ballot_rows({bids["A"].id: 1})}
    )
    meet_there(monkeypatch, paper, "_first_entry")
    assert [r.status_code for r in race(send, send)] == [302, 302]
    assert count(PaperEntry) == 1 and count(Ballot) == 0


def test_two_officers_recording_the_same_paper_voter_record_them_once(app, open_round, monkeypatch):
    officer, funding_round, bids, places = open_round
    pot, ambassador = funding_round.pots[0], _ambassador(officer, places["north"])
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/paper-ballots"
    officers = (officer, create_user(Role.ENGAGEMENT_OFFICER))
    data = {"ambassador": str(ambassador.id)}
    sends = [poster(signed_in(app, o), url, url + "/voters", data) for o in officers]
    meet_there(monkeypatch, paper, "participation")
    responses = race(*sends)
    assert count(Participation, Participation.user_id == ambassador.id) == 1
    assert sorted(r.status_code for r in responses) == [302, 400]


def test_a_double_click_on_save_scores_keeps_one_score(app, people, places, monkeypatch):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    logic.advance_phase(officer, funding_round)
    values = {"title": "A", "summary": "S", "cost": 100, "pot_id": funding_round.pots[0].id}
    bid = logic.submit_bid(provider, funding_round, org, values)
    logic.advance_phase(officer, funding_round)
    reviewer = create_user(Role.RESIDENT)
    review.appoint(officer, funding_round, reviewer.email)
    url = f"{ROOT}/{funding_round.id}/review"
    marks = {f"bid-{bid.id}-{k}": "4" for k in review.CRITERIA}
    send = poster(
        signed_in(app, reviewer), url, f"{url}/bids/{bid.id}/scores", marks, f"bid-{bid.id}"
    )
    meet_there(monkeypatch, review, "_score_of")
    assert [r.status_code for r in race(send, send)] == [302, 302]
    assert count(Score) == 1


def test_two_officers_moving_a_round_on_at_once_move_it_one_phase(app, open_round, monkeypatch):
    officer, funding_round, bids, places = open_round
    manage = f"{ROOT}/{funding_round.id}/manage"
    data = {"from_phase": "voting"}
    officers = (officer, create_user(Role.ENGAGEMENT_OFFICER))
    sends = [
        poster(signed_in(app, o), manage, f"{ROOT}/{funding_round.id}/advance", data)
        for o in officers
    ]
    before = count(PhaseChange)
    meet_there(monkeypatch, logic, "_locked")
    responses = race(*sends)
    assert funding_round.phase == "counting" and count(PhaseChange) == before + 1
    assert sorted(r.status_code for r in responses) == [302, 400]


def test_a_double_click_on_a_ballot_leaves_one_ballot(app, open_round, monkeypatch):
    officer, funding_round, bids, places = open_round
    pot, ambassador = funding_round.pots[0], _ambassador(officer, places["north"])
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/vote"
    send = poster(signed_in(app, ambassador), url, url, ballot_rows({bids["A"].id: 1}))
    meet_there(monkeypatch, voting, "ballot_of")
    assert [r.status_code for r in race(send, send)] == [302, 302]
    assert count(Ballot) == 1 and count(Participation) == 1


def test_a_double_click_on_add_pot_adds_one_pot(app, people, places, monkeypatch):
    officer, _provider, _org = people
    funding_round = _split_round(officer, places)
    manage = f"{ROOT}/{funding_round.id}/manage"
    data = {"name": "East", "amount": "100", "areas": str(places["north"].id)}
    send = poster(signed_in(app, officer), manage, f"{ROOT}/{funding_round.id}/pots", data)
    meet_there(monkeypatch, pots, "_areas")
    responses = race(send, send)
    assert count(Pot, Pot.name == "East") == 1
    assert sorted(r.status_code for r in responses) == [302, 400]


def test_a_double_click_on_send_bid_sends_one_bid(app, people, places, monkeypatch):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    logic.advance_phase(officer, funding_round)
    url = f"{ROOT}/{funding_round.id}/bids/new"
    data = {
        "organisation": str(org.id),
        "pot_id": str(funding_round.pots[0].id),
        "title": "Boxing",
        "summary": "Words.",
        "cost": "100",
        "prevention_level": "primary",
    }
    send = poster(signed_in(app, provider), url, url, data)
    meet_there(monkeypatch, logic, "_check_title", after=True)
    responses = race(send, send)
    assert count(Bid, Bid.title == "Boxing") == 1
    assert sorted(r.status_code for r in responses) == [302, 400]


def test_two_officers_appointing_the_same_reviewer_appoint_them_once(
    app, people, places, monkeypatch
):
    officer, _provider, _org = people
    funding_round = _split_round(officer, places)
    person = create_user(Role.RESIDENT)
    manage = f"{ROOT}/{funding_round.id}/manage"
    officers = (officer, create_user(Role.ENGAGEMENT_OFFICER))
    sends = [
        poster(
            signed_in(app, o), manage, f"{ROOT}/{funding_round.id}/panel", {"email": person.email}
        )
        for o in officers
    ]
    meet_there(monkeypatch, review, "is_reviewer", after=True)
    responses = race(*sends)
    assert count(Reviewer, Reviewer.user_id == person.id) == 1
    assert sorted(r.status_code for r in responses) == [302, 400]
