"""Funded projects' pages: the public page with its reach, the provider's returns, and the
officers' review of returns and targets."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.budgeting.models import FundedProject, Phase
from engage.charts import Bar, bar_chart
from engage.database import utcnow
from engage.errors import UserError
from engage.extensions import db
from engage.geo.models import Area, AreaLevel
from engage.monitoring import logic
from engage.monitoring.forms import (
    AcceptForm,
    ChangesForm,
    TargetForm,
    area_choices,
    fill,
    return_form,
)
from engage.monitoring.models import OTHER_AREAS, AgeBand, MonitoringReturn, ReturnStatus

bp = Blueprint("monitoring", __name__)
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


def _today() -> date:
    return utcnow().date()


def _project(project_id: int) -> FundedProject:
    project = db.session.get(FundedProject, project_id) or abort(404)
    if project.bid.round.phase not in (Phase.PUBLISHED, Phase.CLOSED):
        abort(404)
    return project


def reach_chart(reach: logic.Reach) -> Markup:
    """Participants by age band, with the target cohort's bands named in the description."""
    bars = [Bar(band.label, (reach.by_age.get(band.value, 0),)) for band in AgeBand]
    return Markup(bar_chart(_("Participants by age"), bars, description=reach.reading()))


@bp.route("/participatory-budgeting/projects/<int:project_id>")
def show_project(project_id: int):
    """Public: what the project is, whom it set out to reach, and whom it reached."""
    project = _project(project_id)
    reach = logic.reach(project)
    accepted = [
        q.record for q in logic.quarters(project, _today())
        if q.record is not None and q.record.status == ReturnStatus.ACCEPTED
    ]  # fmt: skip
    return render_template(
        "monitoring/project.html", project=project, reach=reach, chart=reach_chart(reach),
        stories=[r for r in accepted if r.story],
    )  # fmt: skip


@bp.route("/my-projects")
@role_required(Role.VCSE_PROVIDER)
def my_projects():
    projects = logic.projects_of(current_user)
    return render_template(
        "monitoring/my-projects.html",
        rows=[(p, logic.quarters(p, _today()), logic.target_of(p)) for p in projects],
        today=_today(),
    )


def _quarter_arg() -> date | None:
    try:
        return date.fromisoformat((request.args.get("quarter") or "")[:10])
    except ValueError:
        return None


@bp.route("/my-projects/<int:project_id>/return", methods=["GET", "POST"])
@role_required(Role.VCSE_PROVIDER)
def send_return(project_id: int):
    project = _project(project_id)
    quarter = logic.quarter_of(project, _quarter_arg(), _today())
    if not logic.may_report(current_user, project) or quarter is None:
        abort(404)
    target = logic.target_of(project)
    form = return_form(target)
    if request.method == "GET" and quarter.record is not None:
        kept = quarter.record
        fill(form, target, kept.profile, kept.sessions, kept.story)
    if form.validate_on_submit():
        rows = [a.code for a in target.areas] + [OTHER_AREAS]
        try:
            logic.submit_return(current_user, project, quarter.start, form.values(rows), _today())
        except UserError as error:
            form.show(error, "sessions")
        else:
            flash(_("Return sent. An officer will check it."))
            return redirect(url_for("monitoring.my_projects"))
    return render_template(
        "monitoring/return-form.html", form=form, project=project, quarter=quarter, target=target,
        rows=[*((a.code, a.name) for a in target.areas), (OTHER_AREAS, _("Other areas"))],
        bands=list(AgeBand),
    ), (400 if form.errors else 200)  # fmt: skip


@bp.route("/monitoring")
@role_required(*OFFICERS)
def overview():
    today = _today()
    return render_template(
        "monitoring/overview.html",
        waiting=logic.waiting_returns(),
        overdue=logic.overdue(today),
        projects=logic.funded_with_reach(),
    )


def _return(return_id: int) -> MonitoringReturn:
    return db.session.get(MonitoringReturn, return_id) or abort(404)


def _review_page(kept: MonitoringReturn, accept: AcceptForm, changes: ChangesForm, status=200):
    target = logic.target_of(kept.project)
    return render_template(
        "monitoring/review.html", kept=kept, target=target, accept=accept, changes=changes,
        quarter=logic.Quarter(kept.period_start, kept), reach=logic.combine(target, [kept]),
        rows=[*((a.code, a.name) for a in target.areas), (OTHER_AREAS, _("Other areas"))],
        bands=list(AgeBand),
    ), status  # fmt: skip


@bp.route("/monitoring/returns/<int:return_id>")
@role_required(*OFFICERS)
def review_return(return_id: int):
    return _review_page(_return(return_id), AcceptForm(), ChangesForm())


@bp.route("/monitoring/returns/<int:return_id>/accept", methods=["POST"])
@role_required(*OFFICERS)
def accept_return(return_id: int):
    kept, form = _return(return_id), AcceptForm()
    if form.validate_on_submit():
        try:
            logic.accept_return(current_user, kept)
        except UserError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("Return accepted: its people now count in the project's reach."))
            return redirect(url_for("monitoring.overview"))
    return _review_page(kept, form, ChangesForm(formdata=None), 400)


@bp.route("/monitoring/returns/<int:return_id>/changes", methods=["POST"])
@role_required(*OFFICERS)
def ask_for_changes(return_id: int):
    kept, form = _return(return_id), ChangesForm()
    if form.validate_on_submit():
        try:
            logic.ask_for_changes(current_user, kept, form.note.data or "")
        except UserError as error:
            form.show(error, "note")
        else:
            flash(_("Sent back to the provider with your note."))
            return redirect(url_for("monitoring.overview"))
    return _review_page(kept, AcceptForm(formdata=None), form, 400)


def _target_areas() -> list[Area]:
    levels = (AreaLevel.LAP, AreaLevel.WARD)
    query = db.select(Area).where(Area.level.in_(levels)).order_by(Area.level, Area.name)
    return list(db.session.scalars(query))


@bp.route("/monitoring/projects/<int:project_id>/target", methods=["GET", "POST"])
@role_required(*OFFICERS)
def edit_target(project_id: int):
    project = _project(project_id)
    target = logic.target_of(project)
    form = TargetForm()
    form.area_ids.choices = area_choices(_target_areas())
    if request.method == "GET":
        form.minimum_age.data, form.maximum_age.data = target.minimum_age, target.maximum_age
        form.share.data, form.participants.data = target.share, target.participants
        form.quarters.data, form.area_ids.data = target.quarters, [a.id for a in target.areas]
    elif form.validate_on_submit() and form.complete():
        try:
            logic.set_target(current_user, project, form.data)
        except UserError as error:
            form.show(error)
        else:
            flash(_("Target saved"))
            return redirect(url_for("monitoring.overview"))
    return render_template("monitoring/target-form.html", form=form, project=project), (
        400 if form.errors else 200
    )


def register(app) -> None:
    from engage.monitoring import display

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        quarter_state_name=display.quarter_state_name,
        quarter_label=display.quarter_label,
        monitoring_group_name=display.group_name,
        project_reach=logic.reach,
    )
    from engage.monitoring.cli import monitoring_cli

    app.cli.add_command(monitoring_cli)
