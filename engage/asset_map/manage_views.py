"""Keeping the map true: officers' queues, downloads and the gaps table. The listings' own
pages are in manage_listings, imports, feeds and terms in manage_exchange."""

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
from markupsafe import Markup

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.asset_map import duplicates, editing, exchange, freshness, gaps, logic, taxonomy
from engage.asset_map.manage_forms import ConfirmForm, DecisionForm, ResolveForm
from engage.asset_map.map import MapParts, choropleth_map, parts
from engage.asset_map.models import OrganisationMember, ProblemReport, ProposedChange
from engage.database import utcnow
from engage.extensions import db
from engage.i18n import current_locale
from engage.page_cache import remembered

bp = Blueprint("manage_assets", __name__)
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)
KEEPERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN, Role.VCSE_PROVIDER)


def _arg(name: str, default: str = "") -> str:
    """A filter from the address, or the default for one no query could use (a NUL…)."""
    value = request.args.get(name, default)
    return default if "\x00" in value or len(value) > 200 else value


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
        unmapped=sum(1 for t in taxonomy.terms_to_map() if not t.mapped_to),
        duplicates=len(duplicates.open_duplicates()),
    )


@bp.route("/asset-map/manage/stale")
@role_required(*OFFICERS)
def stale():
    area = logic.area_by_code(_arg("area"))
    category = _arg("category")
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


@bp.route("/asset-map/manage/problems")
@role_required(*OFFICERS)
def problems():
    return render_template(
        "asset_map/manage/problems.html",
        reports=editing.open_problems(),
        forms={},
        resolve_form=ResolveForm,
    )


@bp.route("/asset-map/manage/problems/<int:report_id>/resolve", methods=["POST"])
@role_required(*OFFICERS)
def resolve_problem(report_id: int):
    report = db.session.get(ProblemReport, report_id) or abort(404)
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            editing.resolve_problem(current_user, report, form.outcome.data, form.note.data or "")
        except editing.EditError as error:
            form.show(error)
        else:
            flash(_("Report closed"))
            return redirect(url_for("manage_assets.problems"))
    reports = editing.open_problems()
    return render_template(
        "asset_map/manage/problems.html",
        reports=reports,
        forms={report.id: form},
        form=form,
        resolve_form=ResolveForm,
    ), 400


@bp.route("/asset-map/manage/changes")
@role_required(*OFFICERS)
def changes():
    return render_template("asset_map/manage/changes.html", proposals=editing.pending_proposals())


@bp.route("/asset-map/manage/changes/<int:change_id>")
@role_required(*OFFICERS)
def review_change(change_id: int):
    proposal = db.session.get(ProposedChange, change_id) or abort(404)
    return _review(proposal, DecisionForm())


def _review(proposal: ProposedChange, form: DecisionForm, status: int = 200):
    return render_template(
        "asset_map/manage/review-change.html",
        proposal=proposal,
        diff=editing.proposal_diff(proposal),
        form=form,
    ), status


@bp.route("/asset-map/manage/changes/<int:change_id>/approve", methods=["POST"])
@role_required(*OFFICERS)
def approve_change(change_id: int):
    return _decide_change(change_id, approve=True)


@bp.route("/asset-map/manage/changes/<int:change_id>/reject", methods=["POST"])
@role_required(*OFFICERS)
def reject_change(change_id: int):
    return _decide_change(change_id, approve=False)


def _decide_change(change_id: int, approve: bool):
    proposal = db.session.get(ProposedChange, change_id) or abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            editing.decide_proposal(
                current_user, proposal, approve, form.reason.data or "", _today()
            )
        except editing.EditError as error:
            form.show(error)
        else:
            flash(_("Change approved and published") if approve else _("Change rejected"))
            return redirect(url_for("manage_assets.changes"))
    return _review(proposal, form, 400)


@bp.route("/asset-map/manage/claims")
@role_required(*OFFICERS)
def claims():
    return render_template(
        "asset_map/manage/claims.html", claims=editing.pending_claims(), form=ConfirmForm()
    )


@bp.route("/asset-map/manage/claims/<int:claim_id>/approve", methods=["POST"])
@role_required(*OFFICERS)
def approve_claim(claim_id: int):
    return _decide_claim(claim_id, approve=True)


@bp.route("/asset-map/manage/claims/<int:claim_id>/reject", methods=["POST"])
@role_required(*OFFICERS)
def reject_claim(claim_id: int):
    return _decide_claim(claim_id, approve=False)


def _decide_claim(claim_id: int, approve: bool):
    claim = db.session.get(OrganisationMember, claim_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            editing.decide_claim(current_user, claim, approve)
        except editing.EditError as error:
            flash(error.message, "error")
        else:
            flash(_("Request decided"))
    return redirect(url_for("manage_assets.claims"))


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


def _gap_args() -> tuple[str, str, str]:
    level = _arg("level", "ward")
    age_group = _arg("age", "all")
    return (
        level if level in ("lap", "ward", "lsoa") else "ward",
        _arg("category"),
        age_group if age_group in gaps.AGE_GROUPS else "all",
    )


def _gap_map(table: list[gaps.AreaGap], choices: tuple[str, str, str]) -> MapParts:
    """The shaded map, drawn once for each set of scores (drawing it is most of the page), and
    kept while they stay the same, whatever else in the directory changes."""

    def draw() -> MapParts:
        features, values = gaps.choropleth_data(table)
        config = current_app.config
        legend = _("Gap score: higher means more need, less provision")
        return parts(choropleth_map(
            config["MAP_TILE_URL"], config["MAP_TILE_ATTRIBUTION"], features, values, legend
        ))  # fmt: skip

    scores = tuple((g.code, round(g.score, 3)) for g in table)
    return remembered(("gap-map", *choices, scores), [], draw)


@bp.route("/asset-map/manage/gaps")
@role_required(*OFFICERS)
def gap_analysis():
    level, category, age_group = _gap_args()
    table = gaps.gap_table(level, category, age_group, utcnow())
    terms = logic.taxonomy_terms()
    locale = current_locale()
    name = next((t.label(locale).lower() for t in terms if t.id == category), _("support"))
    shaded = _gap_map(table, (level, category, age_group))
    rows = remembered(  # kept by what it shows, like the map
        ("gap-rows", level, category, age_group, tuple(table)),
        [],
        lambda: Markup(render_template("asset_map/manage/_gap_table.html", table=table)),
    )
    return render_template(
        "asset_map/manage/gaps.html",
        table=table,
        table_html=rows,
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


from engage.asset_map import manage_exchange, manage_listings  # noqa: E402, F401  (their routes)
