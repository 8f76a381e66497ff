"""Officers' pages for feedback: forums and sessions (with many items entered at once, or a
CSV), moderation, analysis, themes, reach, open questions and privacy requests."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.extensions import db
from engage.feedback import analysis, importing, logic, moderation, privacy
from engage.feedback.case_forms import FindForm, RequestActionForm
from engage.feedback.charts import analysis_charts, labelled, reach_chart
from engage.feedback.forms import (
    ForumForm,
    ImportItemsForm,
    QuestionForm,
    profile_field,
    session_form,
)
from engage.feedback.models import FeedbackItem, Forum, ForumSession, OpenQuestion, Source
from engage.feedback.safeguarding import SafeguardingError, flag_by_hand
from engage.forms import BaseForm
from engage.importing import ImportFailed

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)
MAX_ROWS = 50


def _get(model, record_id: int):
    return db.session.get(model, record_id) or abort(404)


@bp.route("")
@role_required(*OFFICERS)
def index():
    return render_template(
        "feedback/index.html",
        waiting=moderation.waiting(),
        total=analysis.total(analysis.Filters()),
        forums=logic.forums(),
        questions=logic.open_questions(),
    )


# Forums and sessions


@bp.route("/forums/new", methods=["GET", "POST"])
@bp.route("/forums/<int:forum_id>/edit", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_forum(forum_id: int | None = None):
    forum = _get(Forum, forum_id) if forum_id else None
    form = ForumForm(obj=forum)
    form.area_ids.choices = [(a.id, a.name) for a in logic.areas() if a.level == "lap"]
    if request.method == "GET" and forum:
        form.area_ids.data = [a.id for a in forum.areas]
    if form.validate_on_submit():
        try:
            forum = logic.save_forum(current_user, forum, form.data)
        except logic.FeedbackError as error:
            form[error.field or "name"].errors.append(str(error))
        else:
            flash(_("Forum saved"))
            return redirect(url_for("feedback.show_forum", forum_id=forum.id))
    return render_template("feedback/forum-form.html", form=form, forum=forum)


@bp.route("/forums/<int:forum_id>")
@role_required(*OFFICERS)
def show_forum(forum_id: int):
    return render_template("feedback/forum.html", forum=_get(Forum, forum_id))


def _session_values(form, areas) -> dict:
    values = {k: form[k].data for k in ("held_on", "starts_at", "place", "facilitator")}
    values.update(
        prompts=(form.prompts.data or "").splitlines(),
        attendees=form.attendees.data,
        public=form.public.data,
        profile=form.profile([a.code for a in areas]),
    )
    return values


@bp.route("/forums/<int:forum_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_session(forum_id: int | None = None, session_id: int | None = None):
    session = _get(ForumSession, session_id) if session_id else None
    forum = session.forum if session else _get(Forum, forum_id)
    areas = list(forum.areas)
    form = session_form(areas, obj=session if request.method == "GET" else None)
    if request.method == "GET" and session:
        form.prompts.data = "\n".join(session.prompts)
        _fill_profile(form, session.profile)
    if form.validate_on_submit():
        try:
            session = logic.save_session(current_user, forum, session, _session_values(form, areas))
        except logic.FeedbackError as error:
            form[error.field if error.field in form else "attendees"].errors.append(str(error))
        else:
            flash(_("Session saved"))
            return redirect(url_for("feedback.show_session", session_id=session.id))
    return render_template(
        "feedback/session-form.html", form=form, forum=forum, session=session, areas=areas
    )


def _fill_profile(form, profile: dict) -> None:
    for dimension, groups in (profile or {}).items():
        for group, count in groups.items():
            name = profile_field(dimension, group)
            if name in form:
                form[name].data = count


def _rows_from_form(session: ForumSession) -> tuple[list[logic.NewItem], list[dict], list[int]]:
    """The filled-in rows of the entry table (empty rows are skipped), the raw values of every
    row, and the row number of each item."""
    themes = {str(t.id): t for t in logic.themes()}
    areas = {str(a.id): a for a in logic.areas()}
    items, raw, positions = [], [], []
    for n in range(min(request.form.get("rows", 5, type=int), MAX_ROWS)):
        row = {k: request.form.get(f"items-{n}-{k}", "") for k in ("text", "prompt", "area")}
        row["themes"] = request.form.getlist(f"items-{n}-themes")
        row["young"] = request.form.get(f"items-{n}-young") == "yes"
        raw.append(row)
        if not row["text"].strip():
            continue
        positions.append(n)
        items.append(
            logic.NewItem(
                text=row["text"],
                source=Source.SESSION,
                received_on=session.held_on,
                session=session,
                prompt=row["prompt"],
                area=areas.get(row["area"]),
                themes=[themes[t] for t in row["themes"] if t in themes],
                young_person=True if row["young"] else None,
                language=logic.guess_language(row["text"]),
            )
        )
    return items, raw, positions


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def show_session(session_id: int):
    session = _get(ForumSession, session_id)
    form = BaseForm()
    rows = request.args.get("rows", 5, type=int)
    raw: list[dict] = []
    error = None
    if form.validate_on_submit():
        items, raw, positions = _rows_from_form(session)
        try:
            saved = logic.enter_items(current_user, items)
        except logic.FeedbackError as problem:
            error = problem
            if problem.line and positions:  # name the row on the page, empty rows included
                row = positions[problem.line - 1]
                error.line, error.field = row + 1, f"items-{row}-text"
        else:
            flash(_("%(n)d items saved", n=len(saved)))
            return redirect(url_for("feedback.show_session", session_id=session.id))
        rows = len(raw)
    return render_template(
        "feedback/session.html",
        session=session,
        form=form,
        rows=max(1, min(rows, MAX_ROWS)),
        raw=raw,
        error=error,
        items=importing.session_items(session),
        themes=logic.themes(),
        areas=logic.areas(),
    ), (400 if error else 200)


@bp.route("/sessions/<int:session_id>/import", methods=["GET", "POST"])
@role_required(*OFFICERS)
def import_items(session_id: int):
    session = _get(ForumSession, session_id)
    form = ImportItemsForm()
    failure = None
    if form.validate_on_submit():
        try:
            count = importing.import_session_items(current_user, session, form.file.data.stream)
        except ImportFailed as problem:
            failure = problem
        else:
            flash(_("%(n)d items imported", n=count))
            return redirect(url_for("feedback.show_session", session_id=session.id))
    return render_template("feedback/import.html", form=form, session=session, failure=failure), (
        400 if failure or form.errors else 200
    )


@bp.route("/items-template.csv")
@role_required(*OFFICERS)
def items_template():
    return Response(
        importing.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="session-items-template.csv"'},
    )


# Moderation


@bp.route("/moderation")
@role_required(*OFFICERS)
def moderation_queue():
    items = moderation.queue()
    return render_template(
        "feedback/moderation.html",
        items=items,
        waiting=moderation.waiting(),
        suggestions=moderation.suggestions(items),
        themes={t.id: t for t in logic.themes()},
        form=BaseForm(),
    )


@bp.route("/items/<int:item_id>")
@role_required(*OFFICERS)
def show_item(item_id: int):
    item = _get(FeedbackItem, item_id)
    if item.status == "safeguarding":
        abort(404)  # only the safeguarding lead sees it now
    return render_template(
        "feedback/item.html",
        item=item,
        form=BaseForm(),
        themes=logic.themes(),
        suggestions=moderation.suggestions([item]).get(item.id, []),
        theme_names={t.id: t for t in logic.themes()},
    )


ITEM_ACTIONS = ("approve", "reject", "names", "themes", "flag")


@bp.route("/items/<int:item_id>/<action>", methods=["POST"])
@role_required(*OFFICERS)
def item_action(item_id: int, action: str):
    item = _get(FeedbackItem, item_id)
    if action not in ITEM_ACTIONS or not BaseForm().validate_on_submit():
        abort(400)
    try:
        message = _act(item, action)
    except (logic.FeedbackError, SafeguardingError) as error:
        flash(str(error), "error")
        return redirect(url_for("feedback.show_item", item_id=item.id))
    flash(message)
    if action == "flag" or request.form.get("back") == "queue":
        return redirect(url_for("feedback.moderation_queue"))
    return redirect(url_for("feedback.show_item", item_id=item.id))


def _act(item: FeedbackItem, action: str) -> str:
    form = request.form
    if action == "approve":
        moderation.approve(current_user, item)
        return _("Approved: its redacted copy may now be quoted")
    if action == "reject":
        moderation.reject(current_user, item, form.get("reason", ""))
        return _("Rejected. It will be erased after 30 days.")
    if action == "names":
        moderation.mark_names(current_user, item, form.get("names", "").split(","))
        return _("Names taken out of the public copy")
    if action == "themes":
        moderation.set_themes(current_user, item, [int(t) for t in form.getlist("themes")])
        return _("Themes saved")
    flag_by_hand(current_user, item, form.get("note", ""))
    return _("Sent to the safeguarding lead. It is no longer in the queue.")


# Analysis, themes and reach


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> analysis.Filters:
    source = request.args.get("source")
    return analysis.Filters(
        theme_id=request.args.get("theme", type=int),
        area_id=request.args.get("area", type=int),
        source=source if source in Source.ALL else None,
        forum_id=request.args.get("forum", type=int),
        start=_date_arg("from"),
        end=_date_arg("to"),
    )


@bp.route("/analysis")
@role_required(*OFFICERS)
def show_analysis():
    filters = _filters()
    figures = {
        "themes": analysis.by_theme(filters),
        "areas": analysis.by_area(filters),
        "sources": analysis.by_source(filters),
        "months": analysis.by_month(filters),
    }
    rows = labelled(figures)
    return render_template(
        "feedback/analysis.html",
        filters=filters,
        total=analysis.total(filters),
        figures=figures,
        rows=rows,
        charts=analysis_charts(rows),
        themes=logic.themes(),
        areas=[a for a in logic.areas() if a.level == "lap"],
        forums=logic.forums(),
    )


@bp.route("/analysis.csv")
@role_required(*OFFICERS)
def analysis_csv():
    return Response(
        analysis.export_csv(_filters()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
    )


@bp.route("/themes/<slug>")
@role_required(*OFFICERS)
def show_theme(slug: str):
    theme = logic.theme_by_slug(slug) or abort(404)
    return render_template(
        "feedback/theme.html",
        theme=theme,
        items=analysis.theme_items(theme),
        quotes=analysis.quotes(theme),
    )


@bp.route("/reach")
@role_required(*OFFICERS)
def show_reach():
    forum_id = request.args.get("forum", type=int)
    area_id = request.args.get("area", type=int)
    result = analysis.reach(forum_id, _date_arg("from"), _date_arg("to"), area_id)
    return render_template(
        "feedback/reach.html",
        reach=result,
        charts=reach_chart(result),
        forums=logic.forums(),
        areas=[a for a in logic.areas() if a.level == "lap"],
        forum_id=forum_id,
        area_id=area_id,
    )


# Open questions


@bp.route("/questions")
@role_required(*OFFICERS)
def list_questions():
    return render_template("feedback/questions.html", questions=logic.questions())


@bp.route("/questions/new", methods=["GET", "POST"])
@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_question(question_id: int | None = None):
    question = _get(OpenQuestion, question_id) if question_id else None
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        try:
            logic.save_question(current_user, question, form.data)
        except logic.FeedbackError as error:
            form.title.errors.append(str(error))
        else:
            flash(_("Question saved"))
            return redirect(url_for("feedback.list_questions"))
    return render_template("feedback/question-form.html", form=form, question=question)


# Privacy requests


@bp.route("/privacy", methods=["GET", "POST"])
@role_required(*OFFICERS)
def privacy_requests():
    form = FindForm()
    found = privacy.find(form.email.data) if form.validate_on_submit() else None
    return render_template(
        "feedback/privacy.html", form=form, found=found, action_form=RequestActionForm()
    ), (400 if form.errors else 200)


def _request_email() -> str:
    form = RequestActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form.email.data


@bp.route("/privacy/export.json", methods=["POST"])
@role_required(*OFFICERS)
def privacy_export():
    """A POST, so the address is not left in a URL or a server log."""
    return Response(
        privacy.export_for_email(current_user, _request_email()),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="feedback-subject-access.json"'},
    )


@bp.route("/privacy/erase", methods=["POST"])
@role_required(*OFFICERS)
def privacy_erase():
    erased = privacy.erase_for_email(current_user, _request_email())
    flash(
        _(
            "Erased %(items)d items and the contact details. %(kept)d items are held by the "
            "safeguarding lead: the request has been passed to them.",
            items=erased.items,
            kept=erased.kept_for_safeguarding,
        )
    )
    return redirect(url_for("feedback.privacy_requests"))
