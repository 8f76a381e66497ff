"""Forums and their sessions: who came (as counts), what was said (many rows at once, or a CSV
file), and a session link with a QR code so a room of young people can have their say."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from engage.accounts.permissions import role_required
from engage.database import utcnow
from engage.errors import UserError
from engage.feedback import analysis, background, importing, logic, moderation, session_links
from engage.feedback.display import theme_name
from engage.feedback.forms import ForumForm, ImportItemsForm, profile_field, session_form
from engage.feedback.models import Forum, ForumSession, Source
from engage.feedback.officer_forms import (
    MAX_ROWS,
    BulkEntryForm,
    CloseLinkForm,
    RowsForm,
    SessionLinkForm,
)
from engage.feedback.views import OFFICERS, bp, get_or_404
from engage.urls import external_url


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


@bp.route("/forums/new", methods=["GET", "POST"])
@bp.route("/forums/<int:forum_id>/edit", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_forum(forum_id: int | None = None):
    forum = get_or_404(Forum, forum_id) if forum_id else None
    form = ForumForm(obj=forum)
    form.area_ids.choices = [(a.id, a.name) for a in logic.areas() if a.level == "lap"]
    if request.method == "GET" and forum:
        form.area_ids.data = [a.id for a in forum.areas]
    if form.validate_on_submit():
        try:
            forum = logic.save_forum(current_user, forum, form.data)
        except UserError as error:
            form.show(error, "name")
        else:
            flash(_("Forum saved"))
            return redirect(url_for("feedback.show_forum", forum_id=forum.id))
    return render_template("feedback/forum-form.html", form=form, forum=forum), (
        400 if form.errors else 200
    )


@bp.route("/forums/<int:forum_id>")
@role_required(*OFFICERS)
def show_forum(forum_id: int):
    return render_template("feedback/forum.html", forum=get_or_404(Forum, forum_id))


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
    session = get_or_404(ForumSession, session_id) if session_id else None
    forum = session.forum if session else get_or_404(Forum, forum_id)
    areas = list(forum.areas)
    form = session_form(areas, obj=session if request.method == "GET" else None)
    if request.method == "GET" and session:
        form.prompts.data = "\n".join(session.prompts)
        _fill_profile(form, session.profile)
    if form.validate_on_submit():
        try:
            session = logic.save_session(current_user, forum, session, _session_values(form, areas))
        except UserError as error:
            form.show(error, "attendees")
        else:
            flash(_("Session saved"))
            return redirect(url_for("feedback.show_session", session_id=session.id))
    return render_template(
        "feedback/session-form.html", form=form, forum=forum, session=session, areas=areas
    ), (400 if form.errors else 200)


def _fill_profile(form, profile: dict) -> None:
    for dimension, groups in (profile or {}).items():
        for group, count in groups.items():
            name = profile_field(dimension, group)
            if name in form:
                form[name].data = count


def _entry_form(session: ForumSession, rows: int | None = None) -> BulkEntryForm:
    if rows is None:
        form = BulkEntryForm()
    else:
        form = BulkEntryForm(formdata=None)
        while len(form.items) < rows:
            form.items.append_entry()
    return form.with_choices(session.prompts, logic.areas(), logic.themes(), theme_name)


def _new_items(session: ForumSession, form: BulkEntryForm) -> list[tuple[int, logic.NewItem]]:
    """The rows with something said, as items, with their row number on the page."""
    themes = {t.id: t for t in logic.themes()}
    areas = {a.id: a for a in logic.areas()}
    return [
        (number, logic.NewItem(
            text=row.text.data,
            source=Source.SESSION,
            received_on=session.held_on,
            session=session,
            prompt=row.prompt.data or "",
            area=areas.get(row.area.data),
            themes=[themes[t] for t in row.themes.data or [] if t in themes],
            young_person=True if row.young.data else None,
            language=logic.guess_language(row.text.data),
        ))
        for number, row in form.filled()
    ]  # fmt: skip


def _render_session(session: ForumSession, form: BulkEntryForm, status: int = 200):
    link = external_url("have_your_say.session_link", code=session.link_code or "-")
    open_ = session.link_is_open(utcnow())
    return render_template(
        "feedback/session.html",
        session=session,
        form=form,
        rows=len(form.items),
        max_rows=MAX_ROWS,
        items=importing.session_items(session),
        link=link if open_ else None,
        qr=Markup(session_links.qr_svg(link, _("Have your say"))) if open_ else None,
        link_form=SessionLinkForm(formdata=None, allowance=session.link_allowance or 300),
        close_form=CloseLinkForm(),
    ), status


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def show_session(session_id: int):
    """The session, and many items at once: one row each; all saved, or none."""
    session = get_or_404(ForumSession, session_id)
    if request.method == "GET":
        rows = RowsForm(request.args)
        count = rows.rows.data if rows.validate() and rows.rows.data else 5
        return _render_session(session, _entry_form(session, count))
    form = _entry_form(session)
    if form.validate_on_submit():
        new = _new_items(session, form)
        try:
            saved = logic.enter_items(current_user, [item for _n, item in new])
        except UserError as error:
            row = new[error.line - 1][0] if error.line and new else 1
            message = _("Row %(n)d: %(problem)s", n=row, problem=error)
            next(r for r in form.items if form.row_number(r) == row).text.errors = [message]
        else:
            flash(ngettext("%(num)d item saved", "%(num)d items saved", len(saved)))
            return redirect(url_for("feedback.show_session", session_id=session.id))
    return _render_session(session, form, 400)


@bp.route("/sessions/<int:session_id>/link", methods=["POST"])
@role_required(*OFFICERS)
def open_session_link(session_id: int):
    session = get_or_404(ForumSession, session_id)
    form = SessionLinkForm()
    if form.validate_on_submit():
        try:
            hours = current_app.config["SESSION_LINK_HOURS"]
            session_links.open_link(current_user, session, form.allowance.data or 300, hours)
        except UserError as error:
            flash(str(error), "error")
        else:
            flash(_("The link is open. Show the QR code or share the link in the room."))
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    return redirect(url_for("feedback.show_session", session_id=session.id) + "#session-link")


@bp.route("/sessions/<int:session_id>/link/close", methods=["POST"])
@role_required(*OFFICERS)
def close_session_link(session_id: int):
    session = get_or_404(ForumSession, session_id)
    if CloseLinkForm().validate_on_submit():
        session_links.close_link(current_user, session)
        flash(_("The link is closed"))
    return redirect(url_for("feedback.show_session", session_id=session.id))


@bp.route("/sessions/<int:session_id>/import", methods=["GET", "POST"])
@role_required(*OFFICERS)
def import_items(session_id: int):
    """Upload a CSV of the session's items: checked and saved by a background job, whose page
    shows its progress and then what was imported (or every problem, and nothing saved)."""
    session = get_or_404(ForumSession, session_id)
    form = ImportItemsForm()
    if form.validate_on_submit():
        upload = form.file.data
        job = background.start_item_import(
            current_user, session, upload.filename or "items.csv", upload.read()
        )
        return redirect(url_for("jobs.show_job", job_id=job.id))
    return render_template("feedback/import.html", form=form, session=session), (
        400 if form.errors else 200
    )


@bp.route("/items-template.csv")
@role_required(*OFFICERS)
def items_template():
    return Response(
        importing.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="session-items-template.csv"'},
    )
