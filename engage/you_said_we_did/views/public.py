"""The public side: the board and its Atom feed, each response with "Did this answer what
people said?", following by email, drafts put to people, people's private page and
unsubscribing. Everything shown is published and approved; nothing here needs an account
except the ambassadors' drafts."""

from typing import Any

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.charts import Bar, bar_chart
from engage.database import utcnow
from engage.errors import UserError
from engage.extensions import db, limiter
from engage.feedback import logic as feedback
from engage.feedback.display import theme_name
from engage.feedback.models import Theme
from engage.geo.models import Area
from engage.i18n import current_locale
from engage.monitoring.logic import funded_with_reach
from engage.once import AlreadySent
from engage.page_cache import Content, cached_page, remembered
from engage.pagination import pagination
from engage.you_said_we_did import accountability, logic
from engage.you_said_we_did import feed as atom_feed
from engage.you_said_we_did.forms import (
    BoardFilterForm,
    ConfirmForm,
    FollowForm,
    RatingForm,
    ReactionForm,
)
from engage.you_said_we_did.models import Consultation, Response, Stage
from engage.you_said_we_did.views import bp


def _limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _published(response_id: int) -> Response:
    response = db.session.get(Response, response_id)
    if response is None or response.stage != Stage.PUBLISHED:
        abort(404)
    return response


def _laps():
    return [a for a in feedback.areas() if a.level == "lap"]


def _filter_form() -> BoardFilterForm:
    form = BoardFilterForm(request.args)
    return form.with_choices(_laps(), feedback.themes(), theme_name)


def _filters(form: BoardFilterForm) -> logic.BoardFilters:
    if not form.validate():
        return logic.BoardFilters()
    return logic.BoardFilters(
        area_id=form.area.data,
        theme_id=form.theme.data,
        partner=form.partner.data,
        status=form.status.data,
        q=form.q.data or "",
    )


@bp.route("/you-said-we-did")
@cached_page(Content.VOICE, Content.BUDGETING)  # "you voted, we funded" and their reach
def board():
    form = _filter_form()
    filters = _filters(form)
    follow_form = FollowForm(formdata=None)
    found = logic.board(filters, form.page.data or 1)
    query: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "you_said_we_did/board.html",
        found=found,
        responses=found.items,
        pages=pagination(
            found.page, found.pages, lambda n: url_for("you_said_we_did.board", **query, page=n)
        ),
        funded=funded_with_reach(),
        filter_form=form,
        follow_form=follow_form.with_choices(_laps(), feedback.themes(), theme_name),
    ), (400 if form.errors else 200)


@bp.route("/you-said-we-did/follow", methods=["POST"])
@limiter.limit(_limit)
def follow():
    """Follow an area or a theme, by email, confirmed from the email we send."""
    form = FollowForm().with_choices(_laps(), feedback.themes(), theme_name)
    if form.validate_on_submit():
        area = db.session.get(Area, form.area.data) if form.area.data else None
        theme = db.session.get(Theme, form.theme.data) if form.theme.data else None
        try:
            logic.follow(form.email.data or "", area, theme, current_locale())
        except UserError as error:
            flash(str(error), "error")
        else:
            flash(_("Nearly done: we have emailed you a link to confirm."))
        return redirect(url_for("you_said_we_did.board"))
    for errors in form.errors.values():
        flash(str(errors[0]), "error")
    return redirect(url_for("you_said_we_did.board"))


@bp.route("/you-said-we-did/follow/<token>")
def confirm_follow(token: str):
    logic.confirm_follow(token) or abort(404)
    flash(_("Confirmed. New responses will come in a daily email."))
    return redirect(url_for("you_said_we_did.board"))


@bp.route("/you-said-we-did.atom")
@cached_page(Content.VOICE)
def feed():
    form = _filter_form()
    if not form.validate():
        abort(400)
    body = atom_feed.atom(logic.latest(_filters(form)), request.query_string.decode())
    return HttpResponse(body, mimetype="application/atom+xml")


@bp.route("/you-said-we-did/<int:response_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], deduct_when=lambda response: response.status_code < 400)
@cached_page(Content.VOICE)
def show(response_id: int):
    """The response, its timeline and quotes, and "Did this answer what people said?"."""
    response = _published(response_id)
    form = RatingForm()
    if form.validate_on_submit():
        try:
            logic.rate(response, form.answer.data, form.comment.data, current_locale(),
                       form.once.data)  # fmt: skip
        except AlreadySent:
            pass
        except UserError as error:
            form.show(error)
        if not form.errors:
            flash(_("Thank you. We read every answer."))
            return redirect(url_for("you_said_we_did.show", response_id=response.id))
    return render_template(
        "you_said_we_did/response.html",
        response=response,
        said=logic.summary(response),
        quotes=logic.quotes(response),
        form=form,
    ), (400 if form.errors else 200)


@bp.route("/have-your-say/drafts")
@role_required(Role.YOUTH_AMBASSADOR)
def ambassador_drafts():
    return render_template(
        "you_said_we_did/drafts.html",
        consultations=logic.consultations(open_only=True, audience="ambassadors"),
    )


@bp.route("/have-your-say/drafts/<int:consultation_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], deduct_when=lambda response: response.status_code < 400)
def react(consultation_id: int):
    """A draft put to people before it goes out: to ambassadors (signed in) or by its link."""
    consultation = db.session.get(Consultation, consultation_id) or abort(404)
    ambassador = current_user.is_authenticated and current_user.role == Role.YOUTH_AMBASSADOR
    if consultation.audience == "ambassadors" and not ambassador:
        abort(404)
    form = ReactionForm().for_consultation(consultation)
    if form.validate_on_submit():
        user = current_user if current_user.is_authenticated else None
        try:
            logic.react(consultation, form.choice.data, form.comment.data, user,
                        current_locale(), form.once.data)  # fmt: skip
        except AlreadySent:
            pass
        except UserError as error:
            form.show(error)
        if not form.errors:
            flash(_("Thank you. Your answer helps decide what goes out."))
            return redirect(url_for("you_said_we_did.react", consultation_id=consultation.id))
    return render_template("you_said_we_did/react.html", consultation=consultation, form=form), (
        400 if form.errors else 200
    )


def accountability_page(officer: bool) -> str:
    today = utcnow().date()
    loop = remembered(
        ("accountability", today), [Content.VOICE], lambda: accountability.loop(today)
    )
    chart = bar_chart(
        _("Share of feedback answered, by area"),
        [Bar(share.label, (share.percent,)) for share in loop.by_area],
        percent=True,
    )
    return render_template(
        "you_said_we_did/accountability.html", loop=loop, officer=officer, loop_chart=Markup(chart)
    )


@bp.route("/you-said-we-did/accountability")
@cached_page(Content.VOICE)
def public_accountability():
    return accountability_page(officer=False)


@bp.route("/my-feedback/<token>")
def my_feedback(token: str):
    email = logic.email_for_private_link(token)
    if email is None:
        return render_template("you_said_we_did/link-expired.html"), 404
    items = logic.items_of(email)
    return render_template(
        "you_said_we_did/my-feedback.html",
        items=[(item, logic.responses_for(item)) for item in items],
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Works without signing in; a GET only asks, so a mail scanner opening it changes
    nothing."""
    email = logic.email_for_unsubscribe(token)
    if email is None:
        return render_template("you_said_we_did/unsubscribe.html", problem=True), 400
    form = ConfirmForm()
    done = False
    if form.validate_on_submit():
        logic.opt_out(email)
        done = True
    return render_template("you_said_we_did/unsubscribe.html", form=form, done=done)
