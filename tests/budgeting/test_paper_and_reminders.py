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
from tests.budgeting.test_rounds import _to_voting
from tests.conftest import post_form
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
    other = create_user(Role.ENGAGEMENT_OFFICER)
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    choices = {bids[0].id: 1, bids[2].id: 1}
    first = paper.enter_paper_ballot(officer, funding_round.pots[0], "17", choices, ambassador)
    assert first.status == "awaiting_second" and _ballots(db_session) == 0
    with pytest.raises(logic.RoundError, match="different officer"):
        paper.enter_paper_ballot(officer, funding_round.pots[0], "17", choices)
    mismatch = paper.enter_paper_ballot(other, funding_round.pots[0], "17", {bids[0].id: 1})
    assert mismatch.status == "mismatch" and _ballots(db_session) == 0
    matched = paper.enter_paper_ballot(other, funding_round.pots[0], "17", choices)
    assert matched.status == "matched" and _ballots(db_session) == 1
    with pytest.raises(logic.RoundError, match="already been entered twice"):
        paper.enter_paper_ballot(other, funding_round.pots[0], "17", choices)
    with pytest.raises(logic.RoundError, match="voted on paper"):
        voting.cast_ballot(ambassador, funding_round.pots[0], {bids[1].id: 1})


def test_an_online_voter_cannot_also_hand_in_paper(voting_round):
    officer, funding_round, bids = voting_round
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    voting.cast_ballot(ambassador, funding_round.pots[0], {bids[0].id: 1})
    with pytest.raises(logic.RoundError, match="already voted"):
        paper.enter_paper_ballot(officer, funding_round.pots[0], "3", {bids[1].id: 1}, ambassador)


def test_paper_ballots_keep_the_ballot_rules(voting_round):
    officer, funding_round, bids = voting_round
    with pytest.raises(logic.RoundError, match="shortlisted"):
        paper.enter_paper_ballot(
            officer, funding_round.pots[0], "4", {424242: 1}, create_user(Role.YOUTH_AMBASSADOR)
        )


def test_the_paper_ballot_page(client, auth, voting_round):
    officer, funding_round, bids = voting_round
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    auth.sign_in_as(officer)
    pot = funding_round.pots[0]
    url = f"/participatory-budgeting/{funding_round.id}/pots/{pot.id}/paper-ballots"
    response = post_form(
        client,
        url,
        {"paper_ref": "8", "ambassador": str(ambassador.id), f"bid-{bids[1].id}": "1"},
        follow_redirects=True,
    )
    assert "Paper 8 entered once" in response.get_data(as_text=True)
    missing = post_form(client, url, {"paper_ref": "", f"bid-{bids[1].id}": "1"})
    assert missing.status_code == 400
    assert "Enter the number written on the paper" in missing.get_data(as_text=True)


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
