"""The officers' side: writing responses, linking feedback, four-eyes approval, changes to
published responses (revisions, with their history), drafts put to people, and the
accountability dashboard. One route per action."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.budgeting.logic import funded_projects
from engage.errors import UserError
from engage.extensions import db
from engage.feedback import logic as feedback
from engage.feedback.display import theme_name
from engage.feedback.models import FeedbackItem
from engage.forms import PageForm
from engage.pagination import pagination
from engage.you_said_we_did import logic
from engage.you_said_we_did.forms import (
    ActionForm,
    ConfirmForm,
    ConsultationForm,
    LinkForm,
    LinkSearchForm,
    ResponseForm,
    UnlinkForm,
    UpdateForm,
)
from engage.you_said_we_did.models import Consultation, Response, Stage
from engage.you_said_we_did.views import bp
from engage.you_said_we_did.views.public import accountability_page

OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


def _response(response_id: int) -> Response:
    return db.session.get(Response, response_id) or abort(404)


def _back(response: Response):
    return redirect(url_for("you_said_we_did.manage", response_id=response.id))


def _laps():
    return [a for a in feedback.areas() if a.level == "lap"]


@bp.route("/responses")
@role_required(*OFFICERS)
def list_responses():
    published = logic.board(logic.BoardFilters(), PageForm(request.args).number())
    return render_template(
        "you_said_we_did/manage/list.html",
        drafts=logic.drafts(),
        published=published,
        pages=pagination(
            published.page,
            published.pages,
            lambda n: url_for("you_said_we_did.list_responses", page=n),
        ),
    )


def _response_form(response: Response | None) -> ResponseForm:
    form = ResponseForm(obj=response if request.method == "GET" else None)
    form.theme_ids.choices = [(t.id, theme_name(t)) for t in feedback.themes()]
    form.area_ids.choices = [(a.id, a.name) for a in _laps()]
    form.project_ids.choices = [(p.id, p.bid.title) for p in funded_projects()]
    if request.method == "GET" and response is not None:
        form.partners.data = response.partner_list
        form.theme_ids.data = [t.id for t in response.themes]
        form.area_ids.data = [a.id for a in response.areas]
        form.project_ids.data = [p.id for p in response.projects]
    return form


@bp.route("/responses/new", methods=["GET", "POST"])
@bp.route("/responses/<int:response_id>/edit", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_response(response_id: int | None = None):
    response = _response(response_id) if response_id else None
    if response is not None and response.stage not in (Stage.DRAFT, Stage.AWAITING_REVIEW):
        return _back(response)  # published: changed through a revision
    form = _response_form(response)
    if form.validate_on_submit():
        try:
            response = logic.save_draft(current_user, response, form.data)
        except UserError as error:
            form.show(error)
        else:
            flash(_("Draft saved. Link the feedback it answers, then send it for approval."))
            return _back(response)
    return render_template("you_said_we_did/manage/form.html", form=form, response=response), (
        400 if form.errors else 200
    )


@bp.route("/responses/<int:response_id>")
@role_required(*OFFICERS)
def manage(response_id: int):
    response = _response(response_id)
    search = LinkSearchForm(request.args)
    search.theme.choices = [("", _("All")), *((t.id, theme_name(t)) for t in feedback.themes())]
    search.area.choices = [("", _("All")), *((a.id, a.name) for a in _laps())]
    may = logic.allowed(current_user, response)
    found = []
    if may.link and search.validate():
        found = logic.find_items(q=search.q.data or "", theme_id=search.theme.data,
                                 area_id=search.area.data, limit=50)  # fmt: skip
    return render_template(
        "you_said_we_did/manage/response.html",
        response=response,
        may=may,
        said=logic.summary(response),
        action_form=ActionForm(),
        search=search,
        update_form=UpdateForm(formdata=None),
        found=[i for i in found if i not in response.items],
        suggested=logic.suggested_items(response) if may.link else [],
        open_revision=logic.open_revision(response) if may.start_change else None,
        revisions=logic.revisions(response),
        history=logic.history(response),
    ), (400 if search.errors else 200)


def _act(form, action) -> None:
    """Run one action from a button; what it says, or why it could not, is flashed."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
        return
    try:
        flash(action())
    except UserError as error:
        flash(str(error), "error")


@bp.route("/responses/<int:response_id>/link", methods=["POST"])
@role_required(*OFFICERS)
def link(response_id: int):
    response, form = _response(response_id), LinkForm()

    def action() -> str:
        linked = logic.link_items(current_user, response, form.items.data or [])
        return ngettext("%(num)d item linked", "%(num)d items linked", linked)

    _act(form, action)
    return _back(response)


@bp.route("/responses/<int:response_id>/unlink", methods=["POST"])
@role_required(*OFFICERS)
def unlink(response_id: int):
    response, form = _response(response_id), UnlinkForm()

    def action() -> str:
        item = db.session.get(FeedbackItem, form.item.data) or abort(404)
        logic.unlink_item(current_user, response, item)
        return _("Item unlinked")

    _act(form, action)
    return _back(response)


@bp.route("/responses/<int:response_id>/submit", methods=["POST"])
@role_required(*OFFICERS)
def submit(response_id: int):
    response = _response(response_id)

    def action() -> str:
        logic.submit_for_review(current_user, response)
        return _("Sent for approval. Another officer, who changed none of it, must approve it.")

    _act(ActionForm(), action)
    return _back(response)


@bp.route("/responses/<int:response_id>/approve", methods=["POST"])
@role_required(*OFFICERS)
def approve(response_id: int):
    response = _response(response_id)
    shown = response

    def action() -> str:
        nonlocal shown
        shown = logic.approve(current_user, response)
        return _("Published. Everyone whose feedback it answers will be told.")

    _act(ActionForm(), action)
    return _back(shown)


@bp.route("/responses/<int:response_id>/send-back", methods=["POST"])
@role_required(*OFFICERS)
def send_back(response_id: int):
    response = _response(response_id)

    def action() -> str:
        logic.send_back(current_user, response)
        return _("Sent back to draft")

    _act(ActionForm(), action)
    return _back(response)


@bp.route("/responses/<int:response_id>/change", methods=["POST"])
@role_required(*OFFICERS)
def start_change(response_id: int):
    """Open (or start) the change under way to a published response."""
    response = _response(response_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        revision = logic.start_revision(current_user, response)
    except UserError as error:
        flash(str(error), "error")
        return _back(response)
    return _back(revision)


@bp.route("/responses/<int:response_id>/updates", methods=["POST"])
@role_required(*OFFICERS)
def add_update(response_id: int):
    response = _response(response_id)
    form = UpdateForm()
    if not form.validate_on_submit():
        _act(form, lambda: "")
        return _back(response)
    try:
        revision = logic.add_update(current_user, response, form.text.data,
                                    form.progress.data, form.status.data)  # fmt: skip
    except UserError as error:
        flash(str(error), "error")
        return _back(response)
    flash(_("Update added to the change. Send it for approval: the public sees it once another "
            "officer approves."))  # fmt: skip
    return _back(revision)


# Drafts put to people


@bp.route("/responses/drafts", methods=["GET", "POST"])
@role_required(*OFFICERS)
def consultations():
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            consultation = logic.save_consultation(current_user, form.data)
        except UserError as error:
            form.show(error)
        else:
            flash(_("Asked. Share the link or tell the ambassadors."))
            return redirect(
                url_for("you_said_we_did.consultation", consultation_id=consultation.id)
            )
    return render_template(
        "you_said_we_did/manage/consultations.html",
        form=form,
        consultations=logic.consultations(),
    ), (400 if form.errors else 200)


def _consultation(consultation_id: int) -> Consultation:
    return db.session.get(Consultation, consultation_id) or abort(404)


@bp.route("/responses/drafts/<int:consultation_id>")
@role_required(*OFFICERS)
def consultation(consultation_id: int):
    found = _consultation(consultation_id)
    return render_template(
        "you_said_we_did/manage/consultation.html",
        consultation=found,
        tally=logic.tally(found),
        form=ConfirmForm(),
    )


@bp.route(
    "/responses/drafts/<int:consultation_id>/open", methods=["POST"], defaults={"is_open": True}
)
@bp.route("/responses/drafts/<int:consultation_id>/close", methods=["POST"],
          defaults={"is_open": False})  # fmt: skip
@role_required(*OFFICERS)
def set_open(consultation_id: int, is_open: bool):
    found = _consultation(consultation_id)
    if ConfirmForm().validate_on_submit():
        logic.set_open(current_user, found, is_open)
        flash(_("Saved"))
    return redirect(url_for("you_said_we_did.consultation", consultation_id=found.id))


@bp.route("/responses/accountability")
@role_required(*OFFICERS)
def officer_accountability():
    return accountability_page(officer=True)
