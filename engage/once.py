"""Double clicks count once. A public form carries a random key made when the page was drawn;
the first submission with that key is kept, and any repeat (a double click, a second tab, a
refresh of the POST) is recognised by the database's uniqueness rule, even when both arrive
at the same moment on different workers."""

import re
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from engage.database import rows_changed, utcnow
from engage.errors import UserError
from engage.extensions import Model, db

KEY = re.compile(r"[0-9a-f]{32}")


class AlreadySent(UserError):
    """This very submission was already received; the first one stands."""

    def __init__(self) -> None:
        super().__init__(_("We already have this: it was sent twice, and counted once."))


class SubmissionKey(Model):
    __tablename__ = "submission_keys"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def new_key() -> str:
    return secrets.token_hex(16)


def once_field() -> HiddenField:
    return HiddenField(default=new_key)


def claim(key: str | None) -> None:
    """Record the key in the caller's transaction, or raise AlreadySent if it was used. A
    missing or malformed key (an old page, a script) is let through: it cannot be checked."""
    if not key or not KEY.fullmatch(key):
        return
    db.session.add(SubmissionKey(key=key))
    try:
        db.session.flush()
    except IntegrityError as error:
        raise AlreadySent() from error


def forget_old(now: datetime, age: timedelta = timedelta(days=2)) -> int:
    """Keys are only needed for as long as a double click: the daily purge drops old ones."""
    old = delete(SubmissionKey).where(SubmissionKey.received_at < now - age)
    return rows_changed(db.session.execute(old))
