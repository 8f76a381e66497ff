import pytest

from engage.accounts.roles import Role
from engage.feedback.models import Theme
from engage.feedback.safeguarding import load_default_indicators
from tests.factories import create_user


@pytest.fixture
def themes(db_session):
    rows = [
        Theme(slug="youth-provision", name="Youth provision", name_pl="Oferta dla młodzieży",
              keywords=["youth club", "club", "nothing to do"]),
        Theme(slug="knife-crime", name="Knife crime", name_pl="Przestępczość z użyciem noża",
              keywords=["knife", "stab"]),
        Theme(slug="lighting", name="Environment and lighting", name_pl="Otoczenie i oświetlenie",
              keywords=["light", "dark"]),
    ]  # fmt: skip
    db_session.add_all(rows)
    load_default_indicators()
    db_session.commit()
    return {t.slug: t for t in rows}


@pytest.fixture
def officer(db_session):
    return create_user(Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def lead(db_session):
    return create_user(Role.SAFEGUARDING_LEAD)


from tests.workers import worker  # noqa: E402,F401  (a real Huey consumer for import jobs)
