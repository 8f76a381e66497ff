"""The community-voice report (`/reports`) for board members and officers, its tables as CSV,
its PDF (made in the background), and where we have not yet listened."""

from datetime import date

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.database import utcnow
from engage.extensions import db
from engage.feedback import analysis
from engage.geo.models import Area
from engage.i18n import current_locale
from engage.page_cache import Content, remembered
from engage.reports import charts, listening, logic, pdf, tables
from engage.reports.forms import PdfForm, ReportForm, TableForm
from engage.reports.period import Period, chosen
from engage.urls import query_args

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = (Role.BOARD_MEMBER, Role.ENGAGEMENT_OFFICER, Role.ADMIN)
REPORT_READS = (Content.VOICE, Content.BUDGETING, Content.DIRECTORY)


def _choices(form: ReportForm) -> tuple[Period, Area | None]:
    today = utcnow().date()
    if not form.validate():
        return chosen(None, None, today), None
    area = db.session.get(Area, form.area.data) if form.area.data else None
    return chosen(form.start.data, form.end.data, today), area


@bp.route("")
@role_required(*READERS)
def show_report():
    form = ReportForm(request.args).with_areas(logic.laps())
    period, area = _choices(form)
    query = query_args(request.args)

    def body() -> Markup:
        report = logic.board_report(period, area, utcnow())
        return Markup(render_template(
            "reports/_body.html", report=report, charts=charts.charts(report), query=query,
            csv_links=True,
        ))  # fmt: skip

    pdf_form = PdfForm(
        start=period.start.isoformat(), end=period.end.isoformat(), area=area.id if area else ""
    )
    return render_template(
        "reports/report.html", form=form, body=_remembered("page", period, area, query, body),
        pdf_form=pdf_form, tables=list(tables.ReportTable), query=query,
        officer=current_user.role != Role.BOARD_MEMBER,
    ), (400 if form.errors else 200)  # fmt: skip


def _remembered(what: str, period: Period, area: Area | None, extra: object, compute):
    """The report as it stands for these choices, made once per change to what it reads (it
    joins every capability's data), not once per reader."""
    key = ("report", what, period.start, period.end, area.id if area else None, repr(extra))
    return remembered(key, REPORT_READS, compute)


@bp.route("/report.csv")
@role_required(*READERS)
def report_csv():
    form = TableForm(request.args).with_areas(logic.laps())
    if not form.validate():
        return redirect(url_for("reports.show_report", **query_args(request.args)))
    period, area = _choices(form)
    name = tables.ReportTable(form.table.data or tables.ReportTable.THEMES)
    body = _remembered(
        "csv",
        period,
        area,
        name,
        lambda: tables.as_csv(tables.BUILDERS[name](logic.board_report(period, area, utcnow()))),
    )
    filename = f"community-voice-{name}-{period.start}-{period.end}.csv"
    disposition = f'attachment; filename="{filename}"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "")[:10])
    except ValueError:
        return None


@bp.route("/pdf", methods=["POST"])
@role_required(*READERS)
def make_pdf():
    form = PdfForm()
    if not form.validate_on_submit():
        return redirect(url_for("reports.show_report"))
    period = chosen(_date(form.start.data), _date(form.end.data), utcnow().date())
    if period.end < period.start:
        period = chosen(None, None, utcnow().date())
    raw = form.area.data or ""
    area_id = int(raw) if raw.isascii() and raw.isdecimal() else None
    area = db.session.get(Area, area_id) if area_id and area_id < 2**31 else None
    job = pdf.start_pdf(current_user, period, area, current_locale())
    return redirect(url_for("jobs.show_job", job_id=job.id))


@bp.route("/pdf/<int:pdf_id>")
@role_required(*READERS)
def download_pdf(pdf_id: int):
    kept = pdf.pdf_for(current_user, pdf_id) or abort(404)
    disposition = f'attachment; filename="{kept.filename}"'
    return Response(
        kept.content, mimetype="application/pdf", headers={"Content-Disposition": disposition}
    )


@bp.route("/listening")
@role_required(*READERS)
def show_listening():
    form = ReportForm(request.args).with_areas(logic.laps())
    _period, area = _choices(form)
    level = listening.default_level(area)
    within = analysis.areas_within(area.id) if area is not None else None
    rows = listening.table(level, utcnow().date(), within)
    return render_template(
        "reports/listening.html", form=form, rows=rows, area=area,
        need_map=charts.need_map(rows), heard_map=charts.listening_map(rows),
        forums=_forums_by_area(rows), officer=current_user.role != Role.BOARD_MEMBER,
    ), (400 if form.errors else 200)  # fmt: skip


def _forums_by_area(rows: list[listening.Listening]) -> dict[int, list]:
    """The forums covering each area (or an area around it), to plan a session with."""
    from engage.feedback.logic import forums

    every = forums()
    found: dict[int, list] = {}
    for row in rows:
        chain: set[int] = set()
        node: Area | None = row.area
        while node is not None:
            chain.add(node.id)
            node = node.parent
        found[row.area.id] = [f for f in every if {a.id for a in f.areas} & chain]
    return found


def register(app) -> None:
    from engage.reports.cli import reports_cli

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
    app.jinja_env.globals["table_label"] = lambda name: tables.ReportTable(name).label
