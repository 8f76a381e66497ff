"""Analysis (counts by theme, area, source and month, with charts and a CSV), a theme's page,
reach against who lives there, and open questions. Filters are read through one declared
form: a value not on the list gets a clear message, never an error page."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.errors import UserError
from engage.feedback import analysis, logic
from engage.feedback.charts import analysis_charts, labelled, reach_chart
from engage.feedback.display import theme_name
from engage.feedback.forms import QuestionForm
from engage.feedback.models import OpenQuestion
from engage.feedback.officer_forms import FeedbackFilterForm, RowsPageForm
from engage.feedback.views import OFFICERS, bp, get_or_404
from engage.page_cache import Content, remembered
from engage.pagination import pagination
from engage.urls import query_args


def _laps():
    return [a for a in logic.areas() if a.level == "lap"]


def _filter_form() -> FeedbackFilterForm:
    form = FeedbackFilterForm(request.args)
    return form.with_choices(logic.themes(), _laps(), logic.forums(), theme_name)


def _filters(form: FeedbackFilterForm) -> analysis.Filters:
    if not form.validate():
        return analysis.Filters()
    return analysis.Filters(
        theme_id=form.theme.data,
        area_id=form.area.data,
        source=form.source.data,
        forum_id=form.forum.data,
        start=form.start.data,
        end=form.end.data,
    )


def _figures(filters: analysis.Filters) -> dict:
    """The analysis as plain values (names and counts, the charts drawn), so it can be kept
    until community voice changes and shared by every officer who opens it."""
    themes = analysis.by_theme(filters)
    figures: dict[str, list] = {
        "themes": themes,
        "areas": analysis.by_area(filters),
        "sources": analysis.by_source(filters),
        "months": analysis.by_month(filters),
    }
    rows = labelled(figures)
    return {
        "rows": rows,
        "charts": analysis_charts(rows),
        "theme_links": [(t.slug, theme_name(t)) for t, _n in themes if t],
        "total": analysis.total(filters),
    }


@bp.route("/analysis")
@role_required(*OFFICERS)
def show_analysis():
    form = _filter_form()
    filters = _filters(form)
    figures = remembered(("analysis", filters), [Content.VOICE], lambda: _figures(filters))
    return render_template(
        "feedback/analysis.html",
        form=form,
        filters=filters,
        total=figures["total"],
        theme_links=figures["theme_links"],
        rows=figures["rows"],
        charts=figures["charts"],
        themes=logic.themes(),
        areas=_laps(),
        forums=logic.forums(),
    ), (400 if form.errors else 200)


@bp.route("/analysis.csv")
@role_required(*OFFICERS)
def analysis_csv():
    form = _filter_form()
    if not form.validate():
        query = query_args(request.args)
        return redirect(url_for("feedback.show_analysis", **query))
    return Response(
        analysis.export_csv(_filters(form)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
    )


@bp.route("/themes/<slug>")
@role_required(*OFFICERS)
def show_theme(slug: str):
    theme = logic.theme_by_slug(slug[:60]) or abort(404)
    form = RowsPageForm(request.args)
    found = analysis.theme_page(theme, form.page.data or 1 if form.validate() else 1)
    return render_template(
        "feedback/theme.html",
        theme=theme,
        found=found,
        items=found.items,
        quotes=analysis.quotes(theme),
        pages=pagination(
            found.page, found.pages, lambda n: url_for("feedback.show_theme", slug=slug, page=n)
        ),
    )


@bp.route("/reach")
@role_required(*OFFICERS)
def show_reach():
    form = _filter_form()
    filters = _filters(form)
    result = analysis.reach(filters.forum_id, filters.start, filters.end, filters.area_id)
    return render_template(
        "feedback/reach.html",
        form=form,
        reach=result,
        charts=reach_chart(result),
        forums=logic.forums(),
        areas=_laps(),
        forum_id=filters.forum_id,
        area_id=filters.area_id,
        filters=filters,
    ), (400 if form.errors else 200)


@bp.route("/questions")
@role_required(*OFFICERS)
def list_questions():
    return render_template("feedback/questions.html", questions=logic.questions())


@bp.route("/questions/new", methods=["GET", "POST"])
@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_question(question_id: int | None = None):
    question = get_or_404(OpenQuestion, question_id) if question_id else None
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        try:
            logic.save_question(current_user, question, form.data)
        except UserError as error:
            form.show(error, "title")
        else:
            flash(_("Question saved"))
            return redirect(url_for("feedback.list_questions"))
    return render_template("feedback/question-form.html", form=form, question=question), (
        400 if form.errors else 200
    )
