"""A job's page: how far it has got (the page refreshes itself until it is done, no script
needed), then its report. Only who started it, and admins, may see it."""

from flask import Blueprint, Flask, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import ALL_ROLES
from engage.extensions import db
from engage.jobs.logic import may_see
from engage.jobs.models import Job

bp = Blueprint("jobs", __name__)
REFRESH_SECONDS = 2


@bp.route("/jobs/<int:job_id>")
@role_required(*ALL_ROLES)
def show_job(job_id: int):
    job = db.session.get(Job, job_id) or abort(404)
    if not may_see(current_user, job):
        abort(404)
    return render_template(
        "jobs/job.html",
        job=job,
        refresh=None if job.state.finished else REFRESH_SECONDS,
        report_template=f"jobs/reports/{job.kind}.html",
    )


def stage_name(stage: str) -> str:
    return {
        "checking": _("checking"),
        "saving": _("saving"),
        "fetching": _("fetching pages"),
    }.get(stage, stage)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["job_stage_name"] = stage_name
