"""Providers propose, officers approve; every change is kept; confirming is one step."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.asset_map import editing
from engage.asset_map.models import OrganisationMember, ServiceRevision
from tests.factories import create_geography, create_service, create_user

TODAY = date(2026, 11, 23)


@pytest.fixture
def listing(db_session):
    create_geography()
    service = create_service(
        "Club", assured_date=TODAY - timedelta(days=300), minimum_age=11, maximum_age=18
    )
    provider = create_user(Role.VCSE_PROVIDER)
    db_session.add(
        OrganisationMember(organisation=service.organisation, user=provider, status="approved")
    )
    db_session.commit()
    return service, provider, create_user(Role.ENGAGEMENT_OFFICER)


def _values(service, **changes):
    return {**editing.snapshot(service), **changes}


def test_a_providers_change_waits_for_an_officer(listing, db_session):
    service, provider, officer = listing
    proposal = editing.propose_change(provider, service, _values(service, maximum_age=19))
    assert service.maximum_age == 18
    assert proposal.before == {"maximum_age": 18} and proposal.after == {"maximum_age": 19}
    editing.decide_proposal(officer, proposal, True, "", TODAY)
    assert service.maximum_age == 19
    assert service.assured_date == TODAY
    revision = db_session.scalar(select(ServiceRevision))
    assert revision.source == "proposal" and revision.changes == {"maximum_age": [18, 19]}


def test_a_rejected_change_changes_nothing(listing):
    service, provider, officer = listing
    proposal = editing.propose_change(provider, service, _values(service, name="New name"))
    editing.decide_proposal(officer, proposal, False, "Not right", TODAY)
    assert service.name == "Club" and proposal.status == "rejected"
    with pytest.raises(editing.EditError):
        editing.decide_proposal(officer, proposal, True, "", TODAY)


def test_the_review_shows_edits_made_since_the_proposal(listing):
    service, provider, officer = listing
    proposal = editing.propose_change(provider, service, _values(service, maximum_age=19))
    editing.edit_service(officer, service, _values(service, maximum_age=21), TODAY)
    [change] = editing.proposal_diff(proposal)
    assert (change.before, change.after, change.current) == (18, 19, 21)


def test_only_people_who_look_after_an_organisation_can_propose(listing):
    service, _provider, _officer = listing
    stranger = create_user(Role.VCSE_PROVIDER)
    with pytest.raises(editing.EditError):
        editing.propose_change(stranger, service, _values(service, name="Mine now"))


def test_unchanged_or_inconsistent_proposals_are_refused(listing):
    service, provider, _officer = listing
    with pytest.raises(editing.EditError, match="not changed"):
        editing.propose_change(provider, service, _values(service))
    with pytest.raises(editing.EditError) as error:
        editing.propose_change(provider, service, _values(service, minimum_age=20))
    assert error.value.field == "maximum_age"
    with pytest.raises(editing.EditError) as error:
        editing.propose_change(provider, service, _values(service, free=False, cost_description=""))
    assert error.value.field == "cost_description"


def test_confirming_a_listing_marks_it_checked_today(listing, db_session):
    service, provider, _officer = listing
    editing.confirm_still_correct(provider, service, TODAY)
    assert service.assured_date == TODAY
    assert db_session.scalar(select(ServiceRevision)).source == "confirm"
    with pytest.raises(editing.EditError):
        editing.confirm_still_correct(create_user(Role.VCSE_PROVIDER), service, TODAY)


def test_claims_are_decided_by_officers(listing):
    service, _provider, officer = listing
    newcomer = create_user(Role.VCSE_PROVIDER)
    claim = editing.claim_organisation(newcomer, service.organisation, "Youth work lead")
    assert not editing.is_member(newcomer, service.organisation)
    with pytest.raises(editing.EditError):
        editing.claim_organisation(newcomer, service.organisation, "again")
    editing.decide_claim(officer, claim, approve=True)
    assert editing.is_member(newcomer, service.organisation)


def test_opening_times_are_parsed_or_the_bad_line_named():
    assert editing.parse_opening_times("mo 18:00-20:00\nWE 09:30 – 12:00") == [
        "MO 18:00-20:00",
        "WE 09:30-12:00",
    ]
    with pytest.raises(editing.EditError, match="2"):
        editing.parse_opening_times("MO 18:00-20:00\nTH 20:00-18:00")
