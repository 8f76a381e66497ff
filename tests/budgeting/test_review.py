"""The review panel: conflicts keep a reviewer away from a bid's scores; officers see spread."""

import pytest

from engage.accounts.roles import Role
from engage.budgeting import logic, review
from engage.budgeting.models import Phase
from engage.extensions import db
from tests.budgeting.pages import ROOT, post_to
from tests.budgeting.test_rounds import BIDS, _bid_values, _round
from tests.factories import create_user

MARKS = {"reach": 4, "evidence": 3, "value_for_money": 5, "fit": 4}


@pytest.fixture
def in_review(db_session):
    from engage.asset_map.models import Organisation, OrganisationMember

    officer = create_user(Role.ENGAGEMENT_OFFICER)
    provider = create_user(Role.VCSE_PROVIDER)
    org = Organisation(name="Corby Youth Boxing Club")
    db_session.add_all(
        [org, OrganisationMember(organisation=org, user=provider, status="approved")]
    )
    db_session.commit()
    funding_round = _round(officer)
    logic.advance_phase(officer, funding_round)
    bids = [logic.submit_bid(provider, funding_round, org, _bid_values(t, c)) for t, c in BIDS]
    logic.advance_phase(officer, funding_round)
    return officer, funding_round, bids


def test_only_appointed_reviewers_score(in_review):
    officer, funding_round, bids = in_review
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    with pytest.raises(logic.RoundError, match="not on this round"):
        review.score_bid(ambassador, bids[0], MARKS, "")
    review.appoint(officer, funding_round, ambassador.email)
    with pytest.raises(logic.RoundError, match="already on the panel"):
        review.appoint(officer, funding_round, ambassador.email)
    score = review.score_bid(ambassador, bids[0], MARKS, "Good reach")
    assert score.total == 16


def test_a_conflicted_reviewer_cannot_score_or_see_the_bid(in_review):
    officer, funding_round, bids = in_review
    resident = create_user(Role.RESIDENT)
    review.appoint(officer, funding_round, resident.email)
    review.appoint(officer, funding_round, officer.email)
    review.score_bid(resident, bids[0], MARKS, "")
    review.declare_conflict(resident, bids[0], "My cousin runs it")
    with pytest.raises(logic.RoundError, match="conflict"):
        review.score_bid(resident, bids[0], MARKS, "")
    [mine] = [r for r in review.my_reviews(resident, funding_round) if r.bid == bids[0]]
    assert mine.conflicted and mine.score is None and not mine.automatic
    review.score_bid(officer, bids[1], MARKS, "")
    review.declare_conflict(officer, bids[1], "I used to work there")
    row = next(r for r in review.moderation(officer, funding_round) if r.bid == bids[1])
    assert row.hidden and row.scores == []


def test_a_reviewer_from_the_bidding_organisation_is_conflicted_automatically(
    in_review, db_session
):
    from engage.asset_map.models import OrganisationMember

    officer, funding_round, bids = in_review
    insider = create_user(Role.VCSE_PROVIDER, display_name="Club treasurer")
    outsider = create_user(Role.RESIDENT, display_name="Neighbour")
    db_session.add(
        OrganisationMember(organisation=bids[0].organisation, user=insider, status="approved")
    )
    db_session.commit()
    for person in (insider, outsider):
        review.appoint(officer, funding_round, person.email)
    review.score_bid(outsider, bids[0], MARKS, "Fair")
    with pytest.raises(logic.RoundError, match="look after the organisation"):
        review.score_bid(insider, bids[0], MARKS, "Mine is great")
    assert all(r.conflicted and r.automatic for r in review.my_reviews(insider, funding_round))
    assert bids[0].id in review.conflicted_bid_ids(insider, funding_round)
    row = next(r for r in review.moderation(insider, funding_round) if r.bid == bids[0])
    assert row.hidden and row.scores == []  # nor do they see its scores
    row = next(r for r in review.moderation(officer, funding_round) if r.bid == bids[0])
    assert row.automatic == ["Club treasurer"] and row.declared == []
    assert [s.comment for s in row.scores] == ["Fair"]


def test_officer_sees_the_spread_and_asks_for_a_rescore(in_review):
    officer, funding_round, bids = in_review
    first, second = create_user(Role.RESIDENT), create_user(Role.YOUTH_AMBASSADOR)
    for person in (first, second):
        review.appoint(officer, funding_round, person.email)
    review.score_bid(first, bids[2], MARKS, "")
    low = review.score_bid(second, bids[2], {k: 1 for k in MARKS}, "Not convinced")
    row = next(r for r in review.moderation(officer, funding_round) if r.bid == bids[2])
    assert (row.average, row.spread) == (10.0, 12)
    review.ask_rescore(officer, low, funding_round)
    assert low.rescore_requested
    review.score_bid(second, bids[2], MARKS, "Looked again")
    assert not low.rescore_requested


def test_scores_must_cover_every_criterion_in_range(in_review):
    officer, funding_round, bids = in_review
    person = create_user(Role.RESIDENT)
    review.appoint(officer, funding_round, person.email)
    with pytest.raises(logic.RoundError, match="0 to 5"):
        review.score_bid(person, bids[0], {**MARKS, "fit": 9}, "")
    logic.set_shortlist(officer, funding_round, {b.id for b in bids}, {})
    logic.advance_phase(officer, funding_round)
    assert funding_round.phase == Phase.VOTING
    with pytest.raises(logic.RoundError, match="review phase"):
        review.score_bid(person, bids[0], MARKS, "")


def test_the_review_page(app, client, auth, in_review):
    officer, funding_round, bids = in_review
    person = create_user(Role.YOUTH_AMBASSADOR)
    auth.sign_in_as(person)
    assert client.get(f"/participatory-budgeting/{funding_round.id}/review").status_code == 403
    review.appoint(officer, funding_round, person.email)
    url = f"{ROOT}/{funding_round.id}/review"
    page = client.get(url).get_data(as_text=True)
    assert "Boxing club kit" in page
    first, second = bids[0].id, bids[1].id
    data = {f"bid-{first}-comment": "Strong"}
    data.update({f"bid-{first}-{k}": str(v) for k, v in MARKS.items()})
    scores = f"{url}/bids/{first}/scores"
    saved = post_to(client, url, scores, data, f"bid-{first}", follow_redirects=True)
    assert "Scores saved for Boxing club kit" in saved.get_data(as_text=True)
    again = post_to(
        client, url, scores, {**data, f"bid-{first}-comment": "Stronger"}, f"bid-{first}"
    )
    assert again.status_code == 302  # a second save changes the one score
    assert [s.comment for s in review.moderation(officer, funding_round)[0].scores] == ["Stronger"]
    half = post_to(client, url, scores, {f"bid-{first}-reach": "9"}, f"bid-{first}")
    assert half.status_code == 400
    assert "Give every criterion a score from 0 to 5" in half.get_data(as_text=True)
    stepped = post_to(
        client, url, f"{url}/bids/{second}/conflict", {}, f"bid-{second}", follow_redirects=True
    ).get_data(as_text=True)
    assert "You stepped back from this bid" in stepped
    assert client.post(f"{url}/bids/999999/scores").status_code in (400, 404)


def test_an_officer_asks_for_a_rescore_from_the_round_page(in_review, app):
    from tests.conftest import csrf_token, signed_in

    officer, funding_round, bids = in_review
    reviewer = create_user(Role.RESIDENT)
    review.appoint(officer, funding_round, reviewer.email)
    score = review.score_bid(reviewer, bids[1], MARKS, "Fine")
    client = signed_in(app, officer)
    page = f"/participatory-budgeting/{funding_round.id}/manage"
    sent = client.post(
        f"/participatory-budgeting/{funding_round.id}/rescore",
        data={"score_id": str(score.id), "csrf_token": csrf_token(client, page)},
    )
    assert sent.status_code == 302
    db.session.refresh(score)
    assert score.rescore_requested
