"""Signing in, invitations, password changes and resets. No request objects here: the
actor and values are passed in, and AccountError carries a message for the person."""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from engage import tokens
from engage.accounts.models import Invitation, User
from engage.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from engage.accounts.roles import INVITABLE_BY, AgeBand, Role
from engage.audit.logic import Action, record
from engage.database import transactional, utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.notifications.logic import queue_email
from engage.pagination import Page, page_of
from engage.urls import external_url

log = logging.getLogger(__name__)


class AccountError(UserError):
    """A problem the person can fix; the message is shown to them."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


@transactional
def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; the same work is done either way."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not (user and ok and user.active):
        log.info("sign-in refused")
        return None
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    return user


@transactional
def end_sessions(user: User) -> None:
    """Sign the person out everywhere: every existing session cookie stops working."""
    user.session_version += 1


@transactional
def invite(
    inviter: User,
    email: str,
    display_name: str,
    role: Role,
    age_band: AgeBand | None,
    locale: str,
) -> Invitation:
    """Create an invitation and queue its email, in one transaction."""
    if role not in INVITABLE_BY.get(inviter.role_enum, ()):
        raise AccountError(_("You cannot invite someone as %(role)s", role=role.label))
    if find_user_by_email(email):
        raise AccountError(_("Someone with this email address already has an account"))
    if role is Role.YOUTH_AMBASSADOR and age_band is None:
        raise AccountError(_("Select the youth ambassador's age band"))
    return _new_invitation(normalise_email(email), display_name, role, age_band, locale, inviter)


def _new_invitation(
    email: str,
    display_name: str,
    role: Role,
    age_band: AgeBand | None,
    locale: str,
    inviter: User | None,
) -> Invitation:
    max_age = current_app.config["INVITATION_MAX_AGE"]
    invitation = Invitation(
        email=email,
        display_name=display_name.strip(),
        role=role.value,
        age_band=age_band.value if age_band else None,
        locale=locale,
        invited_by=inviter,
        expires_at=utcnow() + timedelta(seconds=max_age),
    )
    db.session.add(invitation)
    db.session.flush()
    token = _serializer("invitation").dumps(invitation.id)
    queue_email(
        email,
        "invitation",
        locale,
        display_name=invitation.display_name,
        role=role.label,
        link=external_url("accounts.accept_invitation", token=token),
        days=max_age // 86400,
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link points to, or AccountError saying why it cannot be used."""
    try:
        invitation_id = _serializer("invitation").loads(
            token, max_age=current_app.config["INVITATION_MAX_AGE"]
        )
    except SignatureExpired as error:
        raise AccountError(_("This invitation link has expired. Ask for a new one.")) from error
    except BadSignature as error:
        raise AccountError(_("This invitation link is not valid.")) from error
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.status(utcnow()) != "pending":
        raise AccountError(_("This invitation link has already been used or has expired."))
    return invitation


@transactional
def accept_invitation(token: str, password: str) -> User:
    """Create the account an invitation offered; the link cannot be used again."""
    invitation = invitation_from_token(token)
    problem = password_problem(password, invitation.email)
    if problem:
        raise AccountError(problem)
    if find_user_by_email(invitation.email):
        raise AccountError(_("Someone with this email address already has an account"))
    invitation.accepted_at = utcnow()
    user = User(
        email=invitation.email,
        display_name=invitation.display_name,
        role=invitation.role,
        age_band=invitation.age_band,
        locale=invitation.locale,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    return user


@transactional
def request_password_reset(email: str, locale: str) -> None:
    """Email a reset link if the account exists; the caller says the same thing either way.
    The link is a random token standing for the account (nothing of the password in it); it
    works once, for two hours, and stops working when the password changes."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        log.info("password reset asked for an unknown or inactive email")
        return
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    token = tokens.issue(tokens.Purpose.PASSWORD_RESET, str(user.id), timedelta(seconds=max_age))
    queue_email(
        user.email,
        "password_reset",
        user.locale or locale,
        display_name=user.display_name,
        link=external_url("accounts.reset_password", token=token),
        hours=max_age // 3600,
    )


def _invalid_reset() -> AccountError:
    return AccountError(
        _("This password reset link is not valid or has expired. Ask for a new one.")
    )


def user_from_reset_token(token: str) -> User:
    user_id = tokens.subject_of(tokens.Purpose.PASSWORD_RESET, token)
    user = db.session.get(User, int(user_id)) if user_id else None
    if user is None or not user.active:
        raise _invalid_reset()
    return user


@transactional
def reset_password(token: str, password: str) -> User:
    user = user_from_reset_token(token)
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    if tokens.use(tokens.Purpose.PASSWORD_RESET, token) is None:  # used at the same moment
        raise _invalid_reset()
    _set_password(user, password)
    return user


@transactional
def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("Your current password is not correct"))
    _set_password(user, new_password)


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.session_version += 1
    tokens.revoke(tokens.Purpose.PASSWORD_RESET, str(user.id))  # older links stop working


@transactional
def create_admin(
    email: str, display_name: str, password: str | None, locale: str
) -> User | Invitation:
    """The first admin of a real deployment: with a password now, or by an emailed invitation."""
    if find_user_by_email(email):
        raise AccountError(_("Someone with this email address already has an account"))
    if password is None:
        return _new_invitation(normalise_email(email), display_name, Role.ADMIN, None, locale, None)
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    user = User(
        email=normalise_email(email),
        display_name=display_name,
        role=Role.ADMIN.value,
        locale=locale,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    return user


def pending_invitations() -> list[Invitation]:
    query = select(Invitation).where(
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
    return list(db.session.scalars(query.order_by(Invitation.created_at.desc())))


PEOPLE_PAGE_SIZE = 50


def list_users(page: int = 1) -> Page[User]:
    """One page of everyone with an account, by role then name."""
    return page_of(select(User).order_by(User.role, User.display_name, User.id), page,
                   PEOPLE_PAGE_SIZE)  # fmt: skip


@transactional
def set_active(actor: User, user: User, active: bool) -> None:
    """Admins suspend or restore accounts; suspending ends the person's sessions."""
    if actor.id == user.id:
        raise AccountError(_("You cannot suspend your own account"))
    user.active = active
    if not active:
        user.session_version += 1
    action = Action.ACCOUNT_RESTORED if active else Action.ACCOUNT_SUSPENDED
    record(actor, action, user)


@transactional
def set_role(actor: User, user: User, role: Role) -> None:
    """Admins change what someone does, for example appointing a safeguarding lead. The person
    signs in again, so a changed role never rides on an old session."""
    if actor.id == user.id:
        raise AccountError(_("Ask another admin to change your own role"), "role")
    if role is Role.YOUTH_AMBASSADOR and user.age_band is None:
        raise AccountError(_("Invite youth ambassadors, so their age band is recorded"), "role")
    if user.role == role.value:
        return
    before = user.role
    user.role = role.value
    user.session_version += 1
    record(actor, Action.ROLE_CHANGED, user, before=before, after=role.value)
