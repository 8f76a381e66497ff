"""The report as a PDF, drawn by WeasyPrint from the same HTML as the page (with the print
style sheet), in a background job: it takes a few seconds. Nothing is fetched from outside:
the only files it may read are our own static files."""

import mimetypes
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.database import transactional, utcnow
from engage.extensions import db
from engage.geo.models import Area
from engage.jobs import logic as jobs
from engage.jobs.models import Job
from engage.jobs.queue import Progress, register_kind
from engage.reports.charts import charts
from engage.reports.logic import BoardReport, board_report
from engage.reports.models import ReportPdf
from engage.reports.period import Period

REPORT_PDF = "report_pdf"


def start_pdf(user: User, period: Period, area: Area | None, locale: str) -> Job:
    title = _("Community-voice report (PDF), %(start)s to %(end)s",
              start=period.start.isoformat(), end=period.end.isoformat())  # fmt: skip
    params = {
        "start": period.start.isoformat(), "end": period.end.isoformat(),
        "area_id": area.id if area else None, "locale": locale, "user_id": user.id,
    }  # fmt: skip
    return jobs.start(REPORT_PDF, title, user, params)


def _static_only(static: Path):
    """WeasyPrint's fetcher: our own static files, read from disk; anything else (any other
    host, any file outside static/) is refused, so drawing a PDF never reaches outside."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            marker = "/static/"
            path = (static / url.split(marker, 1)[-1].split("?")[0]).resolve()
            if marker not in url or static not in path.parents or not path.is_file():
                raise ValueError(f"not fetched: {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    return StaticOnly()


def render_pdf(report: BoardReport) -> bytes:
    """The report's HTML, as the page draws it, printed to PDF (inside a request)."""
    from weasyprint import HTML

    html = render_template("reports/print.html", report=report, charts=charts(report))
    base = current_app.config["BASE_URL"]
    static = Path(current_app.static_folder or "").resolve()
    return HTML(string=html, base_url=base, url_fetcher=_static_only(static)).write_pdf()


def run_pdf(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    area = db.session.get(Area, params["area_id"]) if params.get("area_id") else None
    period = Period(date.fromisoformat(params["start"]), date.fromisoformat(params["end"]))
    progress(0, 2, "counting")
    base = current_app.config["BASE_URL"]
    with (
        current_app.test_request_context("/reports", base_url=base),
        force_locale(params.get("locale") or "en_GB"),
    ):
        report = board_report(period, area, utcnow())
        progress(1, 2, "drawing")
        content = render_pdf(report)
    kept = _keep(job, params.get("user_id"), f"community-voice-{period.start}-{period.end}.pdf",
                 content)  # fmt: skip
    progress(2, 2, "drawing")
    return {"pdf_id": kept.id, "bytes": len(content)}


@transactional
def _keep(job: Job, user_id: int | None, filename: str, content: bytes) -> ReportPdf:
    kept = ReportPdf(job_id=job.id, made_by_id=user_id, filename=filename, content=content)
    db.session.add(kept)
    return kept


def pdf_for(user: Any, pdf_id: int) -> ReportPdf | None:
    """A PDF its maker (or an admin) may download."""
    kept = db.session.get(ReportPdf, pdf_id)
    if kept is None or not user.is_authenticated:
        return None
    return kept if kept.made_by_id == user.id or user.role == "admin" else None


def latest_for(user: User) -> list[ReportPdf]:
    query = select(ReportPdf).where(ReportPdf.made_by_id == user.id)
    return list(db.session.scalars(query.order_by(ReportPdf.id.desc()).limit(5)))


register_kind(REPORT_PDF, run_pdf)
