"""People who sign in, and invitations to join."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.roles import AgeBand, Role
from engage.database import utcnow
from engage.extensions import Model


class User(UserMixin, Model):
    """A person with an account. Only what the service needs: no names beyond a display name,
    no date of birth (a band instead), no public profile."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(32))
    age_band: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8), default="en_GB")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Bumped on sign-out and password change so every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def age_band_enum(self) -> AgeBand | None:
        return AgeBand(self.age_band) if self.age_band else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Invitation(Model):
    """An invitation to join with a role; its link is signed, expires and works once."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(32))
    age_band: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8), default="en_GB")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def status(self, now: datetime) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if now >= self.expires_at else "pending"
