"""Keeping the map true: officers' queues, imports and the gaps table; providers' listings."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.asset_map import editing, exchange, freshness, gaps, logic
from engage.asset_map.forms import (
    ClaimForm,
    DecisionForm,
    ImportForm,
    NewServiceForm,
    ResolveForm,
    ServiceForm,
)
from engage.asset_map.map import choropleth_map, parts
from engage.asset_map.models import Organisation, OrganisationMember, ProblemReport, ProposedChange
from engage.database import utcnow
from engage.extensions import db
from engage.importing import ImportFailed

bp = Blueprint("manage_assets", __name__)
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)
KEEPERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN, Role.VCSE_PROVIDER)


def _today():
    return utcnow().date()


@bp.route("/asset-map/manage")
@role_required(*OFFICERS)
def overview():
    return render_template(
        "asset_map/manage/overview.html",
        stale=len(freshness.stale_services(_today())),
        problems=len(editing.open_problems()),
        proposals=len(editing.pending_proposals()),
        claims=len(editing.pending_claims()),
    )


@bp.route("/asset-map/manage/stale")
@role_required(*OFFICERS)
def stale():
    area = freshness.area_by_code(request.args.get("area", ""))
    category = request.args.get("category", "")
    services = freshness.stale_services(_today(), area.id if area else None, category)
    laps = freshness.partnership_areas()
    return render_template(
        "asset_map/manage/stale.html",
        services=services,
        today=_today(),
        laps=laps,
        area=area,
        category=category,
        terms=logic.taxonomy_terms(),
    )


@bp.route("/asset-map/manage/problems", methods=["GET", "POST"])
@role_required(*OFFICERS)
def problems():
    form = ResolveForm()
    if form.validate_on_submit():
        report = db.session.get(ProblemReport, request.form.get("report", type=int)) or abort(404)
        try:
            editing.resolve_problem(
                current_user, report, request.form.get("outcome", ""), form.note.data or ""
            )
        except editing.EditError as error:
            flash(str(error), "error")
        else:
            flash(_("Report closed"))
        return redirect(url_for("manage_assets.problems"))
    return render_template(
        "asset_map/manage/problems.html", reports=editing.open_problems(), form=form
    )


@bp.route("/asset-map/manage/changes")
@role_required(*OFFICERS)
def changes():
    return render_template("asset_map/manage/changes.html", proposals=editing.pending_proposals())


@bp.route("/asset-map/manage/changes/<int:change_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def review_change(change_id: int):
    proposal = db.session.get(ProposedChange, change_id) or abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        try:
            editing.decide_proposal(
                current_user, proposal, approve, form.reason.data or "", _today()
            )
        except editing.EditError as error:
            flash(str(error), "error")
        else:
            flash(_("Change approved and published") if approve else _("Change rejected"))
            return redirect(url_for("manage_assets.changes"))
    return render_template(
        "asset_map/manage/review-change.html",
        proposal=proposal,
        diff=editing.proposal_diff(proposal),
        form=form,
    )


@bp.route("/asset-map/manage/claims", methods=["GET", "POST"])
@role_required(*OFFICERS)
def claims():
    form = DecisionForm()
    if form.validate_on_submit():
        claim = db.session.get(OrganisationMember, request.form.get("claim", type=int)) or abort(
            404
        )
        try:
            editing.decide_claim(current_user, claim, request.form.get("decision") == "approve")
        except editing.EditError as error:
            flash(str(error), "error")
        else:
            flash(_("Request decided"))
        return redirect(url_for("manage_assets.claims"))
    return render_template(
        "asset_map/manage/claims.html", claims=editing.pending_claims(), form=form
    )


@bp.route("/asset-map/manage/import", methods=["GET", "POST"])
@role_required(*OFFICERS)
def import_services():
    form = ImportForm()
    failure = None
    if form.validate_on_submit():
        upload = form.file.data
        importer = (
            exchange.import_oruk
            if upload.filename.lower().endswith(".json")
            else exchange.import_csv
        )
        try:
            result = importer(upload.stream)
        except ImportFailed as error:
            failure = error
        else:
            flash(
                _(
                    "Imported: %(created)d new services, %(updated)d updated",
                    created=result.created,
                    updated=result.updated,
                )
            )
            return redirect(url_for("manage_assets.import_services"))
    return render_template("asset_map/manage/import.html", form=form, failure=failure)


def _download(body: str, filename: str, mimetype: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/asset-map/manage/template.csv")
@role_required(*OFFICERS)
def template_csv():
    return _download(exchange.template_csv(), "engage-services-template.csv", "text/csv")


@bp.route("/asset-map/manage/export.csv")
@role_required(*OFFICERS)
def export_csv():
    return _download(exchange.export_csv(), "engage-services.csv", "text/csv")


@bp.route("/asset-map/manage/export.json")
@role_required(*OFFICERS)
def export_oruk():
    return _download(exchange.export_oruk(), "engage-services-oruk.json", "application/json")


def _gap_args() -> tuple[str, str, str]:
    level = request.args.get("level", "ward")
    age_group = request.args.get("age", "all")
    return (
        level if level in ("lap", "ward", "lsoa") else "ward",
        request.args.get("category", ""),
        age_group if age_group in gaps.AGE_GROUPS else "all",
    )


@bp.route("/asset-map/manage/gaps")
@role_required(*OFFICERS)
def gap_analysis():
    level, category, age_group = _gap_args()
    table = gaps.gap_table(level, category, age_group, utcnow())
    terms = logic.taxonomy_terms()
    name = next((t.name.lower() for t in terms if t.id == category), _("support"))
    features, values = gaps.choropleth_data(table)
    config = current_app.config
    shaded = parts(
        choropleth_map(
            config["MAP_TILE_URL"],
            config["MAP_TILE_ATTRIBUTION"],
            features,
            values,
            _("Gap score: higher means more need, less provision"),
        )
    )
    return render_template(
        "asset_map/manage/gaps.html",
        table=table,
        terms=terms,
        level=level,
        category=category,
        age_group=age_group,
        category_name=name,
        map_parts=shaded,
    )


@bp.route("/asset-map/manage/gaps.csv")
@role_required(*OFFICERS)
def gap_csv():
    level, category, age_group = _gap_args()
    body = gaps.gaps_csv(gaps.gap_table(level, category, age_group, utcnow()))
    return _download(body, f"engage-gaps-{level}.csv", "text/csv")


@bp.route("/asset-map/manage/services/new", methods=["GET", "POST"])
@role_required(*OFFICERS)
def new_service():
    form = NewServiceForm()
    form.set_choices(logic.taxonomy_terms())
    if form.validate_on_submit():
        try:
            service = editing.create_service(
                current_user, form.organisation_name.data, form.values(), form.location(), _today()
            )
        except editing.EditError as error:
            form[error.field or "name"].errors.append(str(error))
        else:
            flash(_("Listing added"))
            return redirect(url_for("asset_map.show_service", service_id=service.id))
    return render_template("asset_map/manage/new-service.html", form=form)


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
            form[error.field or "name"].errors.append(str(error))
        else:
            return redirect(url_for("asset_map.show_service", service_id=service.id))
    return render_template(
        "asset_map/manage/edit-service.html", form=form, service=service, direct=direct
    )


@bp.route("/services/<int:service_id>/confirm", methods=["POST"])
@role_required(*KEEPERS)
def confirm_service(service_id: int):
    service = logic.get_service(service_id) or abort(404)
    if DecisionForm().validate_on_submit():
        try:
            editing.confirm_still_correct(current_user, service, _today())
        except editing.EditError as error:
            flash(str(error), "error")
        else:
            flash(_("Thank you. %(name)s is marked as checked today.", name=service.name))
    return redirect(request.form.get("next") or url_for("manage_assets.my_organisations"))


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
        form=DecisionForm(),
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
            editing.claim_organisation(current_user, organisation, form.reason.data)
        except editing.EditError as error:
            form.organisation.errors.append(str(error))
        else:
            flash(_("Request sent. The engagement team will check it."))
            return redirect(url_for("manage_assets.my_organisations"))
    return render_template("asset_map/manage/claim.html", form=form)
