"""Officers' pages for feedback: forums and sessions (`sessions`), moderation (`moderation`),
analysis, themes, reach and questions (`analysis`), privacy requests (`privacy`); one
blueprint."""

from flask import Blueprint, abort

from engage.accounts.roles import Role
from engage.extensions import db

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


def get_or_404(model, record_id: int | None):
    found = db.session.get(model, record_id) if record_id is not None else None
    return found if found is not None else abort(404)


from engage.feedback.views import analysis, moderation, privacy, sessions  # noqa: E402,F401
