"""Accounts rules: invitations, sign-in, sessions and password changes."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engage.accounts import logic
from engage.accounts.models import Invitation, User
from engage.accounts.roles import AgeBand, Role
from engage.database import utcnow
from engage.notifications.models import OutboxMessage
from tests.factories import DEFAULT_PASSWORD, create_user

NEW_PASSWORD = "purple otter lantern"


def _link_token(message: OutboxMessage) -> str:
    return re.search(r"/(?:invitations|password-reset)/(\S+)", message.body_text).group(1)


def _invite(inviter, role=Role.RESIDENT, **kwargs):
    defaults = {
        "email": "new.person@example.org",
        "display_name": "New",
        "age_band": None,
        "locale": "en_GB",
    }
    defaults.update(kwargs)
    return logic.invite(inviter, role=role, **defaults)


def test_invitation_queues_an_email_with_a_link_in_the_same_transaction(db_session):
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    invitation = _invite(officer, email="New.Person@Example.org ")
    message = db_session.scalar(select(OutboxMessage))
    assert invitation.email == "new.person@example.org"
    assert message.to_address == "new.person@example.org"
    assert "http://localhost/invitations/" in message.body_text
    assert "7 days" in message.body_text


def test_invitation_email_is_written_in_the_invitees_language(db_session):
    _invite(create_user(Role.ADMIN), role=Role.ENGAGEMENT_OFFICER, locale="pl")
    message = db_session.scalar(select(OutboxMessage))
    assert message.locale == "pl"
    assert "Engage" in message.subject
    assert "You have been invited" not in message.body_text


def test_officers_cannot_invite_staff_roles(db_session):
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(logic.AccountError):
        _invite(officer, role=Role.ADMIN)
    assert db_session.scalar(select(Invitation)) is None
    assert db_session.scalar(select(OutboxMessage)) is None


def test_youth_ambassadors_need_an_age_band_not_a_birth_date(db_session):
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    with pytest.raises(logic.AccountError):
        _invite(officer, role=Role.YOUTH_AMBASSADOR)
    invitation = _invite(officer, role=Role.YOUTH_AMBASSADOR, age_band=AgeBand.UNDER_16)
    user = logic.accept_invitation(
        _link_token(db_session.scalar(select(OutboxMessage))), NEW_PASSWORD
    )
    assert invitation.accepted_at is not None
    assert (user.role, user.age_band) == ("youth_ambassador", "under_16")


def test_invitation_link_works_once(db_session):
    _invite(create_user(Role.ADMIN))
    token = _link_token(db_session.scalar(select(OutboxMessage)))
    logic.accept_invitation(token, NEW_PASSWORD)
    with pytest.raises(logic.AccountError, match="already been used"):
        logic.accept_invitation(token, NEW_PASSWORD)
    assert db_session.scalar(select(User).where(User.email == "new.person@example.org"))


def test_invitation_link_expires_after_seven_days(db_session):
    invitation = _invite(create_user(Role.ADMIN))
    token = _link_token(db_session.scalar(select(OutboxMessage)))
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    with pytest.raises(logic.AccountError):
        logic.accept_invitation(token, NEW_PASSWORD)


def test_tampered_invitation_link_is_refused(db_session):
    with pytest.raises(logic.AccountError, match="not valid"):
        logic.invitation_from_token("not-a-real-token")


def test_weak_password_on_accepting_creates_nothing(db_session):
    _invite(create_user(Role.ADMIN))
    token = _link_token(db_session.scalar(select(OutboxMessage)))
    with pytest.raises(logic.AccountError):
        logic.accept_invitation(token, "short")
    assert logic.invitation_from_token(token).accepted_at is None


def test_authenticate_accepts_the_right_password_only(db_session):
    user = create_user(email="sam@example.org")
    assert logic.authenticate(" SAM@example.org", DEFAULT_PASSWORD) == user
    assert logic.authenticate("sam@example.org", "wrong password!") is None
    assert logic.authenticate("nobody@example.org", DEFAULT_PASSWORD) is None


def test_suspended_people_cannot_sign_in(db_session):
    admin, user = create_user(Role.ADMIN), create_user()
    logic.set_active(admin, user, active=False)
    assert logic.authenticate(user.email, DEFAULT_PASSWORD) is None
    with pytest.raises(logic.AccountError):
        logic.set_active(admin, admin, active=False)


def test_changing_password_ends_other_sessions(db_session):
    user = create_user()
    version = user.session_version
    with pytest.raises(logic.AccountError):
        logic.change_password(user, "not my password", NEW_PASSWORD)
    logic.change_password(user, DEFAULT_PASSWORD, NEW_PASSWORD)
    assert user.session_version == version + 1
    assert logic.authenticate(user.email, NEW_PASSWORD) == user


def test_password_reset_link_works_once(db_session):
    user = create_user(email="sam@example.org")
    logic.request_password_reset("sam@example.org", "en_GB")
    token = _link_token(db_session.scalar(select(OutboxMessage)))
    logic.reset_password(token, NEW_PASSWORD)
    assert logic.authenticate(user.email, NEW_PASSWORD) == user
    with pytest.raises(logic.AccountError):
        logic.reset_password(token, "another fine password")


def test_password_reset_for_unknown_email_sends_nothing(db_session):
    logic.request_password_reset("nobody@example.org", "en_GB")
    assert db_session.scalar(select(OutboxMessage)) is None


def test_create_admin_with_password_or_by_invitation(db_session):
    admin = logic.create_admin("first@example.org", "First", NEW_PASSWORD, "en_GB")
    assert admin.role == "admin"
    invitation = logic.create_admin("second@example.org", "Second", None, "en_GB")
    assert isinstance(invitation, Invitation)
    assert invitation.role == "admin"
    with pytest.raises(logic.AccountError):
        logic.create_admin("first@example.org", "Again", NEW_PASSWORD, "en_GB")


def test_a_reset_link_carries_nothing_of_the_account_and_stops_when_the_password_changes(
    db_session,
):
    user = create_user(email="sam@example.org")
    logic.request_password_reset("sam@example.org", "en_GB")
    token = _link_token(_last_message(db_session))
    assert "." not in token  # not a signed payload that could be decoded
    for n in range(len(user.password_hash) - 8):
        assert user.password_hash[n : n + 8] not in token
    logic.change_password(user, "correct horse battery", NEW_PASSWORD)
    with pytest.raises(logic.AccountError, match="not valid or has expired"):
        logic.reset_password(token, "another fine password")


def test_a_reset_link_expires_after_two_hours(db_session):
    from datetime import timedelta

    from engage.tokens import Token

    create_user(email="sam@example.org")
    logic.request_password_reset("sam@example.org", "en_GB")
    token = _link_token(_last_message(db_session))
    stored = db_session.scalar(select(Token))
    assert (
        timedelta(hours=1, minutes=59) < stored.expires_at - stored.created_at <= timedelta(hours=2)
    )
    stored.expires_at = stored.created_at  # two hours later
    db_session.commit()
    with pytest.raises(logic.AccountError, match="not valid or has expired"):
        logic.reset_password(token, NEW_PASSWORD)


def _last_message(db_session) -> OutboxMessage:
    return db_session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
