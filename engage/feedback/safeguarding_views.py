"""The safeguarding lead's pages: cases with their log and who read them, privacy requests
that touch cases, and the indicator phrases. Only the lead: admins manage accounts, not
cases."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.database import utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.feedback import privacy, safeguarding
from engage.feedback.case_forms import AcknowledgeForm, CaseLogForm, DecideRequestForm
from engage.feedback.forms import IndicatorForm
from engage.feedback.models import CaseStep, Indicator, PrivacyRequest, SafeguardingCase
from engage.forms import BaseForm

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")
LEAD = Role.SAFEGUARDING_LEAD


def _case(case_id: int) -> SafeguardingCase:
    return db.session.get(SafeguardingCase, case_id) or abort(404)


@bp.route("")
@role_required(LEAD)
def index():
    return render_template(
        "feedback/safeguarding/index.html",
        dashboard=safeguarding.dashboard(),
        cases=safeguarding.cases(open_only=request.args.get("show") != "all"),
        requests=privacy.requests(undecided_only=True),
        now=utcnow(),
    )


def _render_case(case: SafeguardingCase, log_form: CaseLogForm | None = None, status: int = 200):
    return render_template(
        "feedback/safeguarding/case.html",
        case=safeguarding.read_case(current_user, case),
        history=safeguarding.case_history(case),
        acknowledge_form=AcknowledgeForm(),
        form=log_form or CaseLogForm(formdata=None),
    ), status


@bp.route("/cases/<int:case_id>")
@role_required(LEAD)
def show_case(case_id: int):
    return _render_case(_case(case_id))


@bp.route("/cases/<int:case_id>/acknowledge", methods=["POST"])
@role_required(LEAD)
def acknowledge_case(case_id: int):
    case = _case(case_id)
    if AcknowledgeForm().validate_on_submit():
        try:
            safeguarding.acknowledge(current_user, case)
        except UserError as error:
            flash(str(error), "error")
        else:
            flash(_("Case acknowledged"))
    return redirect(url_for("safeguarding.show_case", case_id=case.id))


@bp.route("/cases/<int:case_id>/log", methods=["POST"])
@role_required(LEAD)
def log_case(case_id: int):
    case = _case(case_id)
    form = CaseLogForm()
    if form.validate_on_submit():
        try:
            safeguarding.record_action(
                current_user, case, CaseStep(form.kind.data), form.note.data or ""
            )
        except UserError as error:
            form.show(error)
        else:
            flash(_("Added to the case log"))
            return redirect(url_for("safeguarding.show_case", case_id=case.id))
    return _render_case(case, form, 400)


# Privacy requests that touch cases


def _request(request_id: int) -> PrivacyRequest:
    return db.session.get(PrivacyRequest, request_id) or abort(404)


@bp.route("/requests")
@role_required(LEAD)
def list_requests():
    return render_template(
        "feedback/safeguarding/requests.html", requests=privacy.requests(undecided_only=False)
    )


def _render_request(privacy_request: PrivacyRequest, form=None, status: int = 200):
    items = privacy.read_request(current_user, privacy_request)
    form = form or DecideRequestForm(formdata=None)
    form.for_request(privacy_request.kind, [i.id for i in items])
    return render_template(
        "feedback/safeguarding/request.html", request_=privacy_request, items=items, form=form
    ), status


@bp.route("/requests/<int:request_id>")
@role_required(LEAD)
def show_request(request_id: int):
    return _render_request(_request(request_id))


@bp.route("/requests/<int:request_id>/decide", methods=["POST"])
@role_required(LEAD)
def decide_request(request_id: int):
    privacy_request = _request(request_id)
    form = DecideRequestForm().for_request(privacy_request.kind, privacy_request.item_ids)
    if form.validate_on_submit():
        try:
            privacy.decide(
                current_user, privacy_request, form.chosen.data or [], form.note.data or ""
            )
        except UserError as error:
            form.show(error)
        else:
            flash(_("Decision recorded"))
            return redirect(url_for("safeguarding.show_request", request_id=privacy_request.id))
    return _render_request(privacy_request, form, 400)


@bp.route("/requests/<int:request_id>/release.json")
@role_required(LEAD)
def release_request(request_id: int):
    try:
        body = privacy.released(current_user, _request(request_id))
    except UserError:
        abort(404)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="release-{request_id}.json"'},
    )


# Indicator phrases


@bp.route("/indicators", methods=["GET", "POST"])
@role_required(LEAD)
def indicators():
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            safeguarding.add_indicator(current_user, form.phrase.data, form.category.data)
        except UserError as error:
            form.show(error, "phrase")
        else:
            flash(_("Phrase added. New feedback is checked for it from now on."))
            return redirect(url_for("safeguarding.indicators"))
    return render_template(
        "feedback/safeguarding/indicators.html",
        form=form,
        remove_form=BaseForm(),
        indicators=safeguarding.indicators(),
    ), (400 if form.errors else 200)


@bp.route("/indicators/<int:indicator_id>/remove", methods=["POST"])
@role_required(LEAD)
def remove_indicator(indicator_id: int):
    indicator = db.session.get(Indicator, indicator_id) or abort(404)
    if BaseForm().validate_on_submit():
        safeguarding.remove_indicator(current_user, indicator)
        flash(_("Phrase removed"))
    return redirect(url_for("safeguarding.indicators"))
