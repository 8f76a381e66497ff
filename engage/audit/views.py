"""Reading the audit log: admins read everything but the safeguarding cases, which only the
safeguarding lead reads."""

from flask import Blueprint, render_template, request

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.audit.logic import latest, subject_label
from engage.forms import GetForm, WholeNumberField

bp = Blueprint("audit", __name__)
PAGE = 200


class OlderForm(GetForm):
    before = WholeNumberField(minimum=1, maximum=2**31 - 1)


def _page(case_entries: bool, title: str):
    form = OlderForm(request.args)
    before = form.before.data if form.validate() else None
    entries = latest(case_entries, limit=PAGE + 1, before_id=before)
    return render_template(
        "audit/log.html",
        entries=entries[:PAGE],
        more=entries[PAGE - 1].id if len(entries) > PAGE else None,
        title=title,
    )


@bp.route("/audit")
@role_required(Role.ADMIN)
def admin_log():
    return _page(case_entries=False, title="admin")


@bp.route("/safeguarding/audit")
@role_required(Role.SAFEGUARDING_LEAD)
def case_log():
    return _page(case_entries=True, title="cases")


def register(app) -> None:
    app.jinja_env.globals["audit_subject"] = subject_label
