"""The feedback pages' charts, with their labels in the reader's language (drawn by
engage.charts as SVG; every chart has a table beside it with the same figures)."""

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from engage.charts import Bar, bar_chart
from engage.feedback.display import group_name, theme_name
from engage.feedback.vocabulary import Dimension, Source


def labelled(figures: dict) -> dict[str, list[tuple[str, int]]]:
    """The analysis counts with their labels, for the tables and the charts alike."""
    return {
        "themes": [(theme_name(t), n) for t, n in figures["themes"]],
        "areas": [(a.name if a else _("No area"), n) for a, n in figures["areas"]],
        "sources": [(Source.name_of(s), n) for s, n in figures["sources"]],
        "months": [(format_date(m, "MMM yyyy"), n) for m, n in figures["months"]],
    }


def analysis_charts(rows: dict[str, list[tuple[str, int]]]) -> dict[str, Markup]:
    titles = {
        "themes": _("Items by theme"),
        "areas": _("Items by area"),
        "sources": _("Items by source"),
        "months": _("Items by month"),
    }
    return {
        key: Markup(bar_chart(titles[key], [Bar(label, (n,)) for label, n in rows[key]]))
        for key in titles
    }


def reach_chart(reach) -> dict[str, Markup]:
    """Per dimension: who was heard and who lives there, as percentages side by side."""
    charts = {}
    series = (_("People heard"), _("People who live there"))
    for dimension in dict.fromkeys(r.dimension for r in reach.rows):
        rows = [r for r in reach.rows if r.dimension == dimension]
        bars = [
            Bar(
                group_name(dimension, r.group, reach.areas),
                (r.heard_share * 100, (r.population_share or 0) * 100),
            )
            for r in rows
        ]
        title = Dimension.name_of(dimension)
        charts[dimension] = Markup(bar_chart(title, bars, series, percent=True))
    return charts
