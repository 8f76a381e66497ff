"""“You said, we did”: the public board, each response, its Atom feed, people's private page
and unsubscribe links; and the officers' pages for writing, linking, approving and updating
responses, with the accountability dashboard."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    Response as HttpResponse,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.budgeting.logic import funded_projects
from engage.charts import Bar, bar_chart
from engage.database import utcnow
from engage.extensions import db, limiter
from engage.feedback import logic as feedback
from engage.feedback.logic import FeedbackError
from engage.feedback.models import FeedbackItem, Theme
from engage.forms import BaseForm
from engage.geo.models import Area
from engage.i18n import current_locale
from engage.you_said_we_did import accountability, logic
from engage.you_said_we_did.forms import (
    PARTNER_LABELS,
    STATUS_LABELS,
    ConsultationForm,
    ResponseForm,
)
from engage.you_said_we_did.models import Consultation, Response, Stage

bp = Blueprint("you_said_we_did", __name__)
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


def _limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _published(response_id: int) -> Response:
    response = db.session.get(Response, response_id)
    if response is None or response.stage != Stage.PUBLISHED:
        abort(404)
    return response


def _filters() -> logic.BoardFilters:
    return logic.BoardFilters(
        area_id=request.args.get("area", type=int),
        theme_id=request.args.get("theme", type=int),
        partner=request.args.get("partner") or None,
        status=request.args.get("status") or None,
        q=request.args.get("q", "")[:100],
    )


@bp.route("/you-said-we-did")
def board():
    return render_template(
        "you_said_we_did/board.html",
        responses=logic.board(_filters()),
        filters=_filters(),
        themes=feedback.themes(),
        areas=[a for a in feedback.areas() if a.level == "lap"],
    )


@bp.route("/you-said-we-did/follow", methods=["POST"])
@limiter.limit(_limit)
def follow():
    """Follow an area or a theme, by email, confirmed from the email we send."""
    if not BaseForm().validate_on_submit():
        abort(400)
    area = db.session.get(Area, request.form.get("area", type=int) or 0)
    theme = db.session.get(Theme, request.form.get("theme", type=int) or 0)
    try:
        logic.follow(request.form.get("email", ""), area, theme, current_locale())
    except logic.ResponseError as error:
        flash(str(error), "error")
    else:
        flash(_("Nearly done: we have emailed you a link to confirm."))
    return redirect(url_for("you_said_we_did.board"))


@bp.route("/you-said-we-did/follow/<token>")
def confirm_follow(token: str):
    logic.confirm_follow(token) or abort(404)
    flash(_("Confirmed. New responses will come in a daily email."))

    return redirect(url_for("you_said_we_did.board"))


@bp.route("/you-said-we-did.atom")
def feed():
    body = render_template(
        "you_said_we_did/feed.atom",
        responses=logic.board(_filters(), limit=50),
        query=request.query_string.decode(),
        now=utcnow(),
        lang="pl" if current_locale().startswith("pl") else "en-GB",
    )
    return HttpResponse(body, mimetype="application/atom+xml")


@bp.route("/you-said-we-did/<int:response_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def show(response_id: int):
    """The response, its timeline and quotes, and "Did this answer what people said?"."""
    response = _published(response_id)
    form = BaseForm()
    error = None
    if form.validate_on_submit():
        try:
            logic.rate(
                response,
                request.form.get("answer", ""),
                request.form.get("comment", ""),
                current_locale(),
            )
        except (logic.ResponseError, FeedbackError) as problem:
            error = str(problem)
        else:
            flash(_("Thank you. We read every answer."))
            return redirect(url_for("you_said_we_did.show", response_id=response.id))
    return render_template(
        "you_said_we_did/response.html",
        response=response,
        said=logic.summary(response),
        quotes=logic.quotes(response),
        form=form,
        error=error,
    ), (400 if error else 200)


@bp.route("/have-your-say/drafts")
@role_required(Role.YOUTH_AMBASSADOR)
def ambassador_drafts():
    return render_template(
        "you_said_we_did/drafts.html",
        consultations=logic.consultations(open_only=True, audience="ambassadors"),
    )


@bp.route("/have-your-say/drafts/<int:consultation_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def react(consultation_id: int):
    """A draft put to people before it goes out: to ambassadors (signed in) or by its link."""
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    ambassador = current_user.is_authenticated and current_user.role == Role.YOUTH_AMBASSADOR
    if consultation.audience == "ambassadors" and not ambassador:
        abort(404)
    form = BaseForm()
    error = None
    if form.validate_on_submit():
        try:
            logic.react(
                consultation,
                request.form.get("choice", ""),
                request.form.get("comment", ""),
                current_user if current_user.is_authenticated else None,
                current_locale(),
            )
        except (logic.ResponseError, FeedbackError) as problem:
            error = str(problem)
        else:
            flash(_("Thank you. Your answer helps decide what goes out."))
            return redirect(url_for("you_said_we_did.react", consultation_id=consultation.id))
    return render_template(
        "you_said_we_did/react.html", consultation=consultation, form=form, error=error
    ), (400 if error else 200)


def _accountability(officer: bool) -> str:
    loop = accountability.loop(utcnow().date())
    chart = bar_chart(
        _("Share of feedback answered, by area"),
        [Bar(share.label, (share.percent,)) for share in loop.by_area],
        percent=True,
    )
    return render_template(
        "you_said_we_did/accountability.html", loop=loop, officer=officer, loop_chart=Markup(chart)
    )


@bp.route("/you-said-we-did/accountability")
def public_accountability():
    return _accountability(officer=False)


@bp.route("/my-feedback/<token>")
def my_feedback(token: str):
    email = logic.email_from(token, "mine") or abort(404)
    items = logic.items_of(email)
    return render_template(
        "you_said_we_did/my-feedback.html",
        items=[(item, logic.responses_for(item)) for item in items],
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Works without signing in; a GET only asks, so a mail scanner opening it changes
    nothing."""
    email = logic.email_from(token, "stop")
    if email is None:
        return render_template("you_said_we_did/unsubscribe.html", problem=True), 400
    form = BaseForm()
    done = False
    if form.validate_on_submit():
        logic.opt_out(email)
        done = True
    return render_template("you_said_we_did/unsubscribe.html", form=form, done=done)


# Officers


@bp.route("/responses")
@role_required(*OFFICERS)
def list_responses():
    return render_template(
        "you_said_we_did/manage/list.html",
        drafts=logic.drafts(),
        published=logic.board(logic.BoardFilters(), limit=500),
    )


def _response_form(response: Response | None) -> ResponseForm:
    form = ResponseForm(obj=response if request.method == "GET" else None)
    form.theme_ids.choices = [(t.id, t.name) for t in feedback.themes()]
    form.area_ids.choices = [(a.id, a.name) for a in feedback.areas() if a.level == "lap"]
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
    response = db.session.get(Response, response_id) if response_id else None
    if response_id and response is None:
        abort(404)
    form = _response_form(response)
    if form.validate_on_submit():
        try:
            response = logic.save_draft(current_user, response, form.data)
        except logic.ResponseError as error:
            form[error.field if error.field in form else "title"].errors.append(str(error))
        else:
            flash(_("Draft saved. Link the feedback it answers, then send it for approval."))
            return redirect(url_for("you_said_we_did.manage", response_id=response.id))
    return render_template("you_said_we_did/manage/form.html", form=form, response=response)


@bp.route("/responses/<int:response_id>")
@role_required(*OFFICERS)
def manage(response_id: int):
    response = db.session.get(Response, response_id) or abort(404)
    found = logic.find_items(
        q=request.args.get("q", ""),
        theme_id=request.args.get("theme", type=int),
        area_id=request.args.get("area", type=int),
        limit=50,
    )
    return render_template(
        "you_said_we_did/manage/response.html",
        response=response,
        said=logic.summary(response),
        form=BaseForm(),
        found=[i for i in found if i not in response.items],
        suggested=logic.suggested_items(response) if response.stage != Stage.PUBLISHED else [],
        themes=feedback.themes(),
        areas=[a for a in feedback.areas() if a.level == "lap"],
    )


@bp.route("/responses/<int:response_id>/<action>", methods=["POST"])
@role_required(*OFFICERS)
def act(response_id: int, action: str):
    response = db.session.get(Response, response_id) or abort(404)
    if action not in ACTIONS or not BaseForm().validate_on_submit():
        abort(400)
    try:
        flash(ACTIONS[action](response))
    except logic.ResponseError as error:
        flash(str(error), "error")
    return redirect(url_for("you_said_we_did.manage", response_id=response.id))


def _link(response: Response) -> str:
    ids = [int(i) for i in request.form.getlist("items") if i.isdigit()]
    if not ids:
        raise logic.ResponseError(_("Tick the feedback to link"))
    return _("%(n)d items linked", n=logic.link_items(current_user, response, ids))


def _unlink(response: Response) -> str:
    item = db.session.get(FeedbackItem, request.form.get("item", type=int) or 0) or abort(404)
    logic.unlink_item(current_user, response, item)
    return _("Item unlinked")


def _submit(response: Response) -> str:
    logic.submit_for_review(current_user, response)
    return _("Sent for approval. Another officer must approve it before it is published.")


def _approve(response: Response) -> str:
    logic.approve(current_user, response)
    return _("Published. Everyone whose feedback it answers will be told.")


def _send_back(response: Response) -> str:
    logic.send_back(current_user, response)
    return _("Sent back to draft")


def _update(response: Response) -> str:
    progress = request.form.get("progress", "").strip()
    logic.add_update(
        current_user,
        response,
        request.form.get("text", ""),
        int(progress) if progress.isdigit() else None,
        request.form.get("status") or None,
    )
    return _("Update published. People following it will be told.")


ACTIONS = {
    "link": _link,
    "unlink": _unlink,
    "submit": _submit,
    "approve": _approve,
    "send_back": _send_back,
    "update": _update,
}


@bp.route("/responses/drafts", methods=["GET", "POST"])
@role_required(*OFFICERS)
def consultations():
    form = ConsultationForm()
    if form.validate_on_submit():
        try:
            consultation = logic.save_consultation(current_user, form.data)
        except logic.ResponseError as error:
            form[error.field or "title"].errors.append(str(error))
        else:
            flash(_("Asked. Share the link or tell the ambassadors."))
            return redirect(
                url_for("you_said_we_did.consultation", consultation_id=consultation.id)
            )
    return render_template(
        "you_said_we_did/manage/consultations.html",
        form=form,
        consultations=logic.consultations(),
    )


@bp.route("/responses/drafts/<int:consultation_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def consultation(consultation_id: int):
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    form = BaseForm()
    if form.validate_on_submit():
        logic.set_open(current_user, consultation, request.form.get("open") == "yes")
        flash(_("Saved"))
        return redirect(url_for("you_said_we_did.consultation", consultation_id=consultation.id))
    return render_template(
        "you_said_we_did/manage/consultation.html",
        consultation=consultation,
        tally=logic.tally(consultation),
        form=form,
    )


@bp.route("/responses/accountability")
@role_required(*OFFICERS)
def officer_accountability():
    return _accountability(officer=True)


def register(app) -> None:
    app.jinja_env.globals.update(
        response_status_name=lambda s: str(STATUS_LABELS.get(s, s)),
        partner_name=lambda p: str(PARTNER_LABELS.get(p, p)),
        partner_keys=list(PARTNER_LABELS),
        status_keys=list(STATUS_LABELS),
    )
    app.jinja_env.filters["partner_label"] = lambda p: str(PARTNER_LABELS.get(p, p))
