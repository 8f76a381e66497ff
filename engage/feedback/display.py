"""How feedback reads on the page: names of sources, themes, groups, statuses and times, in
the reader's language (registered as template globals)."""

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from engage.feedback.forms import profile_field
from engage.feedback.models import CaseStep
from engage.feedback.reach import DIMENSIONS, NOT_SAID
from engage.feedback.vocabulary import (
    Audience,
    Dimension,
    IndicatorCategory,
    ItemStatus,
    ReachStatus,
    Source,
    group_label,
)
from engage.i18n import current_locale


def theme_name(theme) -> str:
    return theme.label(current_locale()) if theme is not None else _("No theme yet")


def group_name(dimension: str, group: str, areas=()) -> str:
    if dimension == Dimension.AREA:
        return next((a.name for a in areas if a.code == group), group)
    return group_label(dimension, group)


def duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(n)d min", n=minutes)
    if minutes < 48 * 60:
        return _("%(h)d h %(m)d min", h=minutes // 60, m=minutes % 60)
    return ngettext("%(num)d day", "%(num)d days", minutes // (24 * 60))


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
        source_name=Source.name_of,
        feedback_sources=list(Source),
        theme_name=theme_name,
        group_name=group_name,
        audience_name=Audience.name_of,
        dimension_name=Dimension.name_of,
        item_status_name=ItemStatus.name_of,
        reach_status_name=ReachStatus.name_of,
        case_action_name=CaseStep.name_of,
        indicator_category_name=IndicatorCategory.name_of,
        duration=duration,
        profile_groups=profile_groups,
    )
