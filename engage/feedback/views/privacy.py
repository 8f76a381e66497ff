"""Requests to see or erase someone's feedback, by the email address they gave. What the
safeguarding lead holds is passed to the lead, never shown here."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.feedback import privacy
from engage.feedback.case_forms import FindForm, RequestActionForm
from engage.feedback.views import OFFICERS, bp


@bp.route("/privacy", methods=["GET", "POST"])
@role_required(*OFFICERS)
def privacy_requests():
    form = FindForm()
    found = privacy.find(form.email.data or "") if form.validate_on_submit() else None
    return render_template(
        "feedback/privacy.html", form=form, found=found, action_form=RequestActionForm()
    ), (400 if form.errors else 200)


def _request_email() -> str:
    form = RequestActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form.email.data or ""


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
