"""Fixtures the budgeting tests share: places with area pots, and the people of a round."""

import pytest

from engage.accounts.roles import Role
from engage.asset_map.models import Organisation, OrganisationMember
from engage.geo.models import Area
from tests.factories import create_user

SQUARE = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}'


@pytest.fixture
def places(db_session):
    north = Area(code="N", name="Corby", level="lap", geometry=SQUARE, council="North")
    west = Area(code="W", name="Daventry", level="lap", geometry=SQUARE, council="West")
    ward = Area(code="N-1", name="Corby West", level="ward", parent=north, geometry=SQUARE)
    db_session.add_all([north, west, ward])
    db_session.commit()
    return {"north": north, "west": west, "ward": ward}


@pytest.fixture
def people(db_session):
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    provider = create_user(Role.VCSE_PROVIDER)
    org = Organisation(name="Youth Org")
    db_session.add_all(
        [org, OrganisationMember(organisation=org, user=provider, status="approved")]
    )
    db_session.commit()
    return officer, provider, org


@pytest.fixture
def officer(db_session):
    return create_user(Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def provider(db_session):
    """A provider who looks after an organisation, as (user, organisation)."""
    user = create_user(Role.VCSE_PROVIDER)
    org = Organisation(name="Corby Youth Club")
    db_session.add_all([org, OrganisationMember(organisation=org, user=user, status="approved")])
    db_session.commit()
    return user, org


from tests.workers import worker  # noqa: E402,F401  (a real Huey consumer for import jobs)
