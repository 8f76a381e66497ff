"""The feedback tests' fixtures (themes with the starting safeguarding phrases, an officer, a
safeguarding lead), shared rather than repeated, and officers to write and approve responses."""

import pytest

from engage.accounts.roles import Role
from tests.factories import create_user
from tests.feedback.conftest import lead, officer, themes

__all__ = ["lead", "officer", "officers", "three_officers", "themes"]


@pytest.fixture
def officers(db_session):
    """An author and a second officer to approve."""
    return create_user(Role.ENGAGEMENT_OFFICER), create_user(Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def three_officers(db_session):
    return tuple(create_user(Role.ENGAGEMENT_OFFICER) for _ in range(3))
