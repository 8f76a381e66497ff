"""Stale listings: three reminders a fortnight apart, the last also to officers; labels."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.asset_map.freshness import send_reminders, stale_services
from engage.asset_map.models import OrganisationMember
from engage.notifications.models import OutboxMessage
from tests.factories import create_geography, create_service, create_user

TODAY = date(2026, 11, 23)


@pytest.fixture
def stale(db_session):
    create_geography()
    service = create_service("Club", assured_date=TODAY - timedelta(days=200))
    create_service("Fresh", assured_date=TODAY - timedelta(days=10))
    keeper = create_user(Role.VCSE_PROVIDER, email="keeper@example.org")
    db_session.add(
        OrganisationMember(organisation=service.organisation, user=keeper, status="approved")
    )
    db_session.commit()
    create_user(Role.ENGAGEMENT_OFFICER, email="officer@example.org")
    return service


def _recipients(db_session):
    return sorted(m.to_address for m in db_session.scalars(select(OutboxMessage)))


def test_only_listings_not_checked_for_six_months_are_stale(stale):
    assert [s.name for s in stale_services(TODAY)] == ["Club"]


def test_three_reminders_a_fortnight_apart_the_last_also_to_officers(stale, db_session):
    assert send_reminders(TODAY).sent == 1
    assert send_reminders(TODAY).sent == 0  # the same day again: nothing twice
    assert send_reminders(TODAY + timedelta(days=13)).sent == 0
    assert send_reminders(TODAY + timedelta(days=14)).sent == 1
    assert _recipients(db_session) == ["keeper@example.org", "keeper@example.org"]
    third = send_reminders(TODAY + timedelta(days=28))
    assert (third.sent, third.escalated) == (1, 1)
    assert "officer@example.org" in _recipients(db_session)
    assert send_reminders(TODAY + timedelta(days=60)).sent == 0


def test_confirming_the_listing_stops_the_reminders(stale, db_session):
    send_reminders(TODAY)
    stale.assured_date = TODAY
    db_session.commit()
    assert send_reminders(TODAY + timedelta(days=14)).sent == 0
