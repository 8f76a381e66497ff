"""Words for monitoring pages, in the reader's language."""

from datetime import date

from flask_babel import gettext as _

from engage.feedback.vocabulary import group_label
from engage.monitoring.forms import RETURNING
from engage.monitoring.logic import Quarter


def quarter_state_name(state: str) -> str:
    return {
        "accepted": _("accepted"),
        "submitted": _("waiting for an officer"),
        "changes_requested": _("changes asked for"),
        "overdue": _("overdue"),
        "due": _("due"),
        "open": _("quarter not ended yet"),
    }.get(state, state)


def quarter_label(start: date) -> str:
    return Quarter(start, None).label


def group_name(dimension: str, group: str) -> str:
    if dimension == "returning":
        return str(RETURNING.get(group, group))
    return group_label(dimension, group)
