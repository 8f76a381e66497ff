"""Listings people keep: officers add and edit them, providers propose changes, confirm
them still correct, and ask to look after their organisation's."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.asset_map import editing, logic
from engage.asset_map.forms import ClaimForm, NewServiceForm, ServiceForm
from engage.asset_map.manage_forms import ConfirmForm
from engage.asset_map.manage_views import KEEPERS, OFFICERS, _today, bp
from engage.asset_map.models import Organisation
from engage.extensions import db


@bp.route("/asset-map/manage/services/new", methods=["GET", "POST"])
@role_required(*OFFICERS)
def new_service():
    form = NewServiceForm()
    form.set_choices(logic.taxonomy_terms())
    if form.validate_on_submit():
        try:
            service = editing.create_service(
                current_user,
                form.organisation_name.data or "",
                form.values(),
                form.location(),
                _today(),
            )
        except editing.EditError as error:
            form.show(error, "name")
        else:
            flash(_("Listing added"))
            return redirect(url_for("asset_map.show_service", service_id=service.id))
    return render_template("asset_map/manage/new-service.html", form=form), _status(form)


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@role_required(*KEEPERS)
def edit_service(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    direct = editing.can_edit_directly(current_user)
    if not direct and not editing.is_member(current_user, service.organisation):
        abort(403)
    form = ServiceForm()
    form.set_choices(logic.taxonomy_terms())
    if request.method == "GET":
        form.fill(editing.snapshot(service))
    if form.validate_on_submit():
        try:
            if direct:
                editing.edit_service(current_user, service, form.values(), _today())
                flash(_("Listing updated"))
            else:
                editing.propose_change(current_user, service, form.values())
                flash(
                    _("Thank you. The engagement team will check your changes before they go live.")
                )
        except editing.EditError as error:
            form.show(error, "name")
        else:
            return redirect(url_for("asset_map.show_service", service_id=service.id))
    return render_template(
        "asset_map/manage/edit-service.html", form=form, service=service, direct=direct
    ), _status(form)


@bp.route("/services/<int:service_id>/confirm", methods=["POST"])
@role_required(*KEEPERS)
def confirm_service(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            editing.confirm_still_correct(current_user, service, _today())
        except editing.EditError as error:
            flash(error.message, "error")
        else:
            flash(_("Thank you. %(name)s is marked as checked today.", name=service.name))
    return redirect(form.back_to(url_for("manage_assets.my_organisations")))


@bp.route("/services/<int:service_id>/history")
@role_required(*KEEPERS)
def service_history(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    if not editing.can_edit_directly(current_user) and not editing.is_member(
        current_user, service.organisation
    ):
        abort(403)
    return render_template(
        "asset_map/manage/history.html", service=service, revisions=editing.revisions(service)
    )


@bp.route("/my-organisations")
@role_required(Role.VCSE_PROVIDER)
def my_organisations():
    return render_template(
        "asset_map/manage/my-organisations.html",
        organisations=editing.organisations_of(current_user),
        today=_today(),
        form=ConfirmForm(),
    )


@bp.route("/my-organisations/claim", methods=["GET", "POST"])
@role_required(Role.VCSE_PROVIDER)
def claim_organisation():
    form = ClaimForm()
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation.choices = [("", _("Choose an organisation"))] + [
        (str(o.id), o.name) for o in orgs
    ]
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, int(form.organisation.data)) or abort(404)
        try:
            editing.claim_organisation(current_user, organisation, form.reason.data or "")
        except editing.EditError as error:
            form.show(error, "organisation")
        else:
            flash(_("Request sent. The engagement team will check it."))
            return redirect(url_for("manage_assets.my_organisations"))
    return render_template("asset_map/manage/claim.html", form=form), _status(form)


def _status(form) -> int:
    """A form sent back with errors is a 400, so clients and tests can tell."""
    return 400 if form.is_submitted() and form.errors else 200
