"""Paper ballots count only when two officers' entries agree; reminders go to non-voters,
at most once every few days."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.budgeting import logic, paper, voting
from engage.budgeting.models import Ballot
from engage.budgeting.reminders import remind_non_voters
from engage.database import utcnow
from engage.notifications.models import OutboxMessage
from tests.budgeting.pages import ROOT, ballot_rows, post_to
from tests.budgeting.test_rounds import _to_voting
from tests.factories import create_user


@pytest.fixture
def voting_round(db_session):
    from engage.asset_map.models import Organisation, OrganisationMember

    officer = create_user(Role.ENGAGEMENT_OFFICER)
    provider = create_user(Role.VCSE_PROVIDER)
    org = Organisation(name="Org")
    db_session.add_all(
        [org, OrganisationMember(organisation=org, user=provider, status="approved")]
    )
    db_session.commit()
    funding_round, bids = _to_voting(officer, (provider, org))
    return officer, funding_round, bids


def _ballots(db_session) -> int:
    return db_session.scalar(select(func.count(Ballot.id)))


def test_a_paper_ballot_counts_when_two_officers_agree(voting_round, db_session):
    officer, funding_round, bids = voting_round
    pot = funding_round.pots[0]
    other = create_user(Role.ENGAGEMENT_OFFICER)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    choices = {bids[0].id: 1, bids[2].id: 1}
    with pytest.raises(logic.RoundError, match="Record who handed in this paper first"):
        paper.enter_paper_ballot(officer, pot, "17", choices)
    paper.record_paper_voter(officer, pot, ambassador)
    with pytest.raises(logic.RoundError, match="voted on paper"):
        voting.cast_ballot(ambassador, pot, {bids[1].id: 1})
    first = paper.enter_paper_ballot(officer, pot, "17", choices)
    assert first.status == "awaiting_second" and _ballots(db_session) == 0
    assert paper.enter_paper_ballot(officer, pot, "17", choices) == first  # a second click
    with pytest.raises(logic.RoundError, match="different officer"):
        paper.enter_paper_ballot(officer, pot, "17", {bids[0].id: 1})
    mismatch = paper.enter_paper_ballot(other, pot, "17", {bids[0].id: 1})
    assert mismatch.status == "mismatch" and _ballots(db_session) == 0
    matched = paper.enter_paper_ballot(other, pot, "17", choices)
    assert matched.status == "matched" and _ballots(db_session) == 1
    with pytest.raises(logic.RoundError, match="already been entered twice"):
        paper.enter_paper_ballot(other, pot, "17", choices)
    with pytest.raises(logic.RoundError, match="as many papers as ambassadors"):
        paper.enter_paper_ballot(officer, pot, "18", choices)


def test_nothing_stored_links_a_paper_to_the_ambassador_who_handed_it_in(voting_round):
    from sqlalchemy import inspect

    from engage.extensions import db

    columns = {c["name"] for c in inspect(db.engine).get_columns("pb_paper_entries")}
    assert not columns & {"user_id", "ambassador_id", "participation_id"}
    columns = {c["name"] for c in inspect(db.engine).get_columns("pb_participations")}
    assert not columns & {"paper_ref", "paper_entry_id", "ballot_id"}


def test_an_online_voter_cannot_also_hand_in_paper(voting_round):
    officer, funding_round, bids = voting_round
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    voting.cast_ballot(ambassador, funding_round.pots[0], {bids[0].id: 1})
    with pytest.raises(logic.RoundError, match="already voted"):
        paper.record_paper_voter(officer, funding_round.pots[0], ambassador)


def test_paper_ballots_keep_the_ballot_rules(voting_round):
    officer, funding_round, bids = voting_round
    pot = funding_round.pots[0]
    paper.record_paper_voter(officer, pot, create_user(Role.YOUTH_AMBASSADOR))
    with pytest.raises(logic.RoundError, match="shortlisted"):
        paper.enter_paper_ballot(officer, pot, "4", {424242: 1})
    with pytest.raises(logic.RoundError, match="at least one"):
        paper.enter_paper_ballot(officer, pot, "4", {})


def test_the_paper_ballot_page(client, auth, voting_round):
    officer, funding_round, bids = voting_round
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    auth.sign_in_as(officer)
    pot = funding_round.pots[0]
    url = f"{ROOT}/{funding_round.id}/pots/{pot.id}/paper-ballots"
    recorded = post_to(
        client, url, url + "/voters", {"ambassador": str(ambassador.id)}, follow_redirects=True
    )
    assert "is recorded as voting on paper" in recorded.get_data(as_text=True)
    response = post_to(
        client,
        url,
        url + "/papers",
        {"paper_ref": "8", **ballot_rows({bids[1].id: 1})},
        follow_redirects=True,
    )
    assert "Paper 8 entered once" in response.get_data(as_text=True)
    missing = post_to(
        client, url, url + "/papers", {"paper_ref": "", **ballot_rows({bids[1].id: 1})}
    )
    assert missing.status_code == 400
    assert "Enter the number written on the paper" in missing.get_data(as_text=True)
    again = post_to(client, url, url + "/voters", {"ambassador": str(ambassador.id)})
    assert again.status_code == 400 and "has already voted" in again.get_data(as_text=True)


def test_reminders_go_to_non_voters_at_most_every_few_days(voting_round, db_session):
    _officer, funding_round, bids = voting_round
    waiting, done = create_user(Role.YOUTH_AMBASSADOR), create_user(Role.YOUTH_AMBASSADOR)
    voting.cast_ballot(done, funding_round.pots[0], {bids[0].id: 1})
    now = utcnow()
    assert remind_non_voters(now) == 1
    assert remind_non_voters(now + timedelta(days=1)) == 0
    assert remind_non_voters(now + timedelta(days=3, minutes=1)) == 1
    recipients = {m.to_address for m in db_session.scalars(select(OutboxMessage))}
    assert recipients == {waiting.email}
    message = db_session.scalars(select(OutboxMessage)).first()
    assert f"/participatory-budgeting/{funding_round.id}/vote" in message.body_text
