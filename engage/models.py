"""Every feature's models, imported so Alembic and the app see one metadata."""

from engage.accounts.models import Invitation, User
from engage.geo.models import Area
from engage.notifications.models import OutboxMessage

__all__ = ["Area", "Invitation", "OutboxMessage", "User"]
