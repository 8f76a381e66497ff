"""How feedback reads on the page: names of sources, themes, groups, statuses and times, in
the reader's language (registered as template globals)."""

from datetime import timedelta

from flask_babel import gettext as _

from engage.feedback.forms import AUDIENCES, DIMENSION_LABELS, GROUP_LABELS, profile_field
from engage.feedback.reach import DIMENSIONS, NOT_SAID
from engage.i18n import current_locale


def source_name(source: str) -> str:
    return {
        "session": _("Forum or session"),
        "online": _("Online"),
        "survey": _("Survey"),
        "event": _("Event"),
    }.get(source, source)


def theme_name(theme) -> str:
    return theme.label(current_locale()) if theme is not None else _("No theme yet")


def group_name(dimension: str, group: str, areas=()) -> str:
    if dimension == "area":
        return next((a.name for a in areas if a.code == group), group)
    return str(GROUP_LABELS.get((dimension, group), group))


def audience_name(audience: str) -> str:
    return str(dict(AUDIENCES).get(audience, audience))


def dimension_name(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, dimension))


def item_status_name(status: str) -> str:
    return {
        "pending": _("waiting for moderation"),
        "approved": _("approved"),
        "rejected": _("rejected"),
        "safeguarding": _("with the safeguarding lead"),
    }.get(status, status)


def reach_status_name(status: str) -> str:
    return {
        "under": _("Under-represented"),
        "over": _("Over-represented"),
        "in_line": _("In line with residents"),
        "unknown": _("No resident figure"),
    }[status]


def case_action_name(kind: str) -> str:
    return {
        "acknowledged": _("acknowledged"),
        "note": _("Note"),
        "referred": _("Referred on (to children's services, police or another agency)"),
        "closed": _("Closed"),
    }.get(kind, kind)


def indicator_category_name(category: str) -> str:
    return {
        "harm": _("Harm"),
        "weapons": _("Weapons"),
        "exploitation": _("Exploitation"),
        "abuse": _("Abuse"),
        "self_harm": _("Self-harm"),
    }.get(category, category)


def duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(n)d min", n=minutes)
    if minutes < 48 * 60:
        return _("%(h)d h %(m)d min", h=minutes // 60, m=minutes % 60)
    return _("%(d)d days", d=minutes // (24 * 60))


def profile_groups(form, areas) -> list[tuple[str, list]]:
    """The session form's count boxes, grouped by dimension, for the template."""
    groups = [
        (dimension, [form[profile_field(dimension, g)] for g in (*members, NOT_SAID)])
        for dimension, members in DIMENSIONS.items()
    ]
    if areas:
        groups.append(("area", [form[profile_field("area", a.code)] for a in areas]))
    return groups


def register(app) -> None:
    app.jinja_env.globals.update(
        source_name=source_name,
        theme_name=theme_name,
        group_name=group_name,
        audience_name=audience_name,
        dimension_name=dimension_name,
        item_status_name=item_status_name,
        reach_status_name=reach_status_name,
        case_action_name=case_action_name,
        indicator_category_name=indicator_category_name,
        duration=duration,
        profile_groups=profile_groups,
    )
