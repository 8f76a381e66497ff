"""Links that tell nothing: a random token stands for an email address or an account in the
database, so the link itself carries no address, id or part of a password hash. Only a digest
of the token is stored (a stolen database gives no working links); each has an expiry and,
where it should, works once."""

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from engage.database import rows_changed, utcnow
from engage.extensions import Model, db


class Purpose(StrEnum):
    MY_FEEDBACK = "my_feedback"  # "what happened to my feedback?"
    UNSUBSCRIBE = "unsubscribe"
    CONFIRM_FOLLOW = "confirm_follow"
    PASSWORD_RESET = "password_reset"


class Token(Model):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(254), index=True)  # an email, or an id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue(purpose: Purpose, subject: str, lifetime: timedelta) -> str:
    """A new link token for `subject`, in the caller's transaction."""
    token, now = secrets.token_urlsafe(32), utcnow()
    db.session.add(
        Token(purpose=purpose.value, digest=_digest(token), subject=subject, created_at=now,
              expires_at=now + lifetime)
    )  # fmt: skip
    return token


def _live(purpose: Purpose, token: str):
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(Token).where(
            Token.digest == _digest(token),
            Token.purpose == purpose.value,
            Token.expires_at > utcnow(),
            Token.used_at.is_(None),
        )
    )


def subject_of(purpose: Purpose, token: str) -> str | None:
    """Who a link is for, or None if it is unknown, expired or used."""
    found = _live(purpose, token)
    return found.subject if found is not None else None


def use(purpose: Purpose, token: str) -> str | None:
    """Like `subject_of`, but the link then stops working; of two uses at once, one wins."""
    found = _live(purpose, token)
    if found is None:
        return None
    done = db.session.execute(
        update(Token)
        .where(Token.id == found.id, Token.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return found.subject if rows_changed(done) == 1 else None


def revoke(purpose: Purpose, subject: str) -> None:
    """Every outstanding link of this kind for the subject stops working."""
    db.session.execute(
        update(Token)
        .where(Token.purpose == purpose.value, Token.subject == subject, Token.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def purge(now: datetime) -> int:
    """Forget expired tokens (the daily purge)."""
    return rows_changed(db.session.execute(delete(Token).where(Token.expires_at < now)))
