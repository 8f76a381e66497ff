"""Loading the signed-in person from the session cookie."""

from engage.accounts.models import User
from engage.extensions import db


def load_user(session_id: str) -> User | None:
    """The user whose id and session version match the cookie; stale versions sign out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
