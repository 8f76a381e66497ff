"""The report's pictures, with their words in the reader's language: each is drawn on the
server as SVG (engage.charts), and the page shows the same figures as a table beside it."""

import json

from flask_babel import gettext as _
from markupsafe import Markup

from engage.charts import Bar, Shape, bar_chart, shaded_map
from engage.feedback.charts import reach_chart
from engage.feedback.display import theme_name
from engage.reports.listening import Listening
from engage.reports.logic import BoardReport


def themes_chart(report: BoardReport) -> Markup:
    bars = [
        Bar(theme_name(r.theme) if r.theme else _("No theme yet"), (r.now, r.before))
        for r in report.heard.themes
    ]
    series = (_("This period"), _("The period before"))
    return Markup(bar_chart(_("Items by theme"), bars, series))


def spoke_chart(report: BoardReport) -> Markup:
    bars = [
        Bar(
            v.area.name if v.area else _("No area"),
            (v.share * 100, (v.population_share or 0) * 100),
        )
        for v in report.who.spoke
    ]
    series = (_("Share of feedback"), _("Share of residents"))
    return Markup(bar_chart(_("Where feedback came from"), bars, series, percent=True))


def answered_chart(report: BoardReport) -> Markup:
    bars = [Bar(s.label, (s.percent,)) for s in report.did.loop.by_area]
    return Markup(bar_chart(_("Share of feedback answered, by area"), bars, percent=True))


def funded_chart(report: BoardReport) -> Markup:
    bars = [
        Bar(project.bid.title, (got.share or 0, got.target.share))
        for project, got in report.funded.projects
        if got.participants
    ]
    series = (_("In the target cohort"), _("Target"))
    return Markup(bar_chart(_("Reach against the target"), bars, series, percent=True))


def listening_map(rows: list[Listening]) -> Markup:
    shapes = [
        Shape(
            f"{r.area.name}: {r.per_1000:.1f}" if r.per_1000 is not None else r.area.name,
            json.loads(r.area.geometry),
            r.per_1000,
        )
        for r in rows
    ]
    return Markup(
        shaded_map(
            _("Voices heard per 1,000 residents"),
            shapes,
            _("Darker areas were heard more; the table lists every area."),
            _("Items and session places per 1,000 residents"),
        )
    )


def need_map(rows: list[Listening]) -> Markup:
    shapes = [
        Shape(f"{r.area.name}: {r.score:.2f}", json.loads(r.area.geometry), r.score) for r in rows
    ]
    return Markup(
        shaded_map(
            _("Need not yet listened to"),
            shapes,
            _("Darker areas have more need and fewer voices; the table ranks every area."),
            _("Need against voices heard (higher: listen here first)"),
        )
    )


def gap_map(report: BoardReport) -> Markup:
    shapes = [
        Shape(f"{g.name}: {g.score:.2f}", json.loads(g.geometry), g.score)
        for g in report.gaps.provision
    ]
    return Markup(
        shaded_map(
            _("Gaps in provision"),
            shapes,
            _("Darker areas have more need and less support; the table ranks every area."),
            _("Gap score (higher: more need, less provision)"),
        )
    )


def charts(report: BoardReport) -> dict[str, Markup]:
    return {
        "themes": themes_chart(report),
        "spoke": spoke_chart(report),
        "answered": answered_chart(report),
        "funded": funded_chart(report),
        "gap_map": gap_map(report),
        "listening_map": need_map(report.gaps.listening),
        **{f"came_{d}": chart for d, chart in reach_chart(report.who.reach).items()},
    }
