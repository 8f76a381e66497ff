"""The safeguarding lead's pages: cases with their log, and the indicator phrases."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.database import utcnow
from engage.extensions import db
from engage.feedback import safeguarding
from engage.feedback.forms import IndicatorForm
from engage.feedback.models import Indicator, SafeguardingCase
from engage.forms import BaseForm

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")
LEADS = (Role.SAFEGUARDING_LEAD, Role.ADMIN)


@bp.route("")
@role_required(*LEADS)
def index():
    return render_template(
        "feedback/safeguarding/index.html",
        dashboard=safeguarding.dashboard(),
        cases=safeguarding.cases(open_only=request.args.get("show") != "all"),
        now=utcnow(),
    )


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@role_required(*LEADS)
def show_case(case_id: int):
    case = db.session.get(SafeguardingCase, case_id) or abort(404)
    form = BaseForm()
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "acknowledge":
                safeguarding.acknowledge(current_user, case)
                flash(_("Case acknowledged"))
            else:
                safeguarding.record_action(
                    current_user, case, request.form.get("kind", ""), request.form.get("note", "")
                )
                flash(_("Added to the case log"))
        except safeguarding.SafeguardingError as error:
            flash(str(error), "error")
        return redirect(url_for("safeguarding.show_case", case_id=case.id))
    return render_template("feedback/safeguarding/case.html", case=case, form=form)


@bp.route("/indicators", methods=["GET", "POST"])
@role_required(*LEADS)
def indicators():
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            safeguarding.add_indicator(current_user, form.phrase.data, form.category.data)
        except safeguarding.SafeguardingError as error:
            form.phrase.errors.append(str(error))
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
@role_required(*LEADS)
def remove_indicator(indicator_id: int):
    indicator = db.session.get(Indicator, indicator_id) or abort(404)
    if BaseForm().validate_on_submit():
        safeguarding.remove_indicator(current_user, indicator)
        flash(_("Phrase removed"))
    return redirect(url_for("safeguarding.indicators"))
