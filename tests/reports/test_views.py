"""The report's pages, its CSV tables, its PDF (made by a background job) and the board's
monthly email; a board member reads and changes nothing."""

import csv
import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.extensions import db
from engage.jobs import logic as jobs
from engage.jobs.models import Job
from engage.notifications.models import OutboxMessage
from engage.reports.mailing import send_monthly
from engage.reports.tables import ReportTable
from tests.conftest import csrf_token, signed_in
from tests.factories import create_user
from tests.reports.conftest import SECRET

Q3 = "start=2026-07-01&end=2026-09-30"


def _board(app):
    return signed_in(app, create_user(role=Role.BOARD_MEMBER))


def test_a_board_member_reads_the_report_with_its_pictures_and_no_safeguarding_text(
    app, partnership
):
    page = _board(app).get(f"/reports?{Q3}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (
        'id="headline-items"' in body
        and '<span class="govuk-heading-l govuk-!-margin-bottom-0">5</span>' in body
    )
    assert body.count("<svg") >= 5 and "<title" in body
    assert "72% of participants were 11–17 from West Ward; target 60%" in body
    assert "Test LAP: decile 5.5, 2,000 under-25s, 3 sessions in 12 months" in body
    assert SECRET not in body
    assert "<script" not in body.split('id="heard"')[1].split("</main>")[0]  # no script needed


def test_every_table_downloads_as_csv_with_the_reports_figures(app, partnership):
    board = _board(app)
    for table in ReportTable:
        response = board.get(f"/reports/report.csv?table={table.value}&{Q3}")
        assert response.status_code == 200 and response.mimetype == "text/csv", table
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert len(rows) >= 2, table
    themes = board.get(f"/reports/report.csv?table=themes&{Q3}").get_data(as_text=True)
    assert "parks,3,1,2" in themes.replace("\r", "")
    funded = board.get(f"/reports/report.csv?table=funded&{Q3}").get_data(as_text=True)
    assert ",25,18,72.0,60,11–17,West Ward" in funded


def test_a_bad_choice_is_answered_in_words(app, partnership):
    board = _board(app)
    response = board.get("/reports?start=2026-13-45&area=99999999999999999999")
    assert response.status_code == 400
    assert "Enter a real date" in response.get_data(as_text=True)
    assert board.get("/reports/report.csv?table=nope").status_code == 302


def test_the_pdf_is_made_in_the_background_and_holds_the_headline_figures(app, partnership):
    board = _board(app)
    token = csrf_token(board, f"/reports?{Q3}")
    started = board.post("/reports/pdf", data={
        "csrf_token": token, "start": "2026-07-01", "end": "2026-09-30", "area": "",
    })  # fmt: skip
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    jobs.run(job.id)
    db.session.expire_all()
    done = board.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Your PDF is ready" in done
    pdf = board.get(f"/reports/pdf/{job.report['pdf_id']}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Community-voice report" in text
    assert "items of feedback (2 the period before)" in text
    assert "72% of participants were 11–17 from West Ward; target 60%" in text
    assert SECRET not in text
    other = _board(app)
    assert other.get(f"/reports/pdf/{job.report['pdf_id']}").status_code == 404


def test_the_monthly_email_goes_once_per_board_member_per_month(app, runner):
    members = [create_user(role=Role.BOARD_MEMBER) for _n in range(2)]
    create_user(role=Role.ENGAGEMENT_OFFICER)
    create_user(role=Role.BOARD_MEMBER, active=False)
    assert send_monthly(date(2026, 11, 1)) == 2
    assert send_monthly(date(2026, 11, 29)) == 0
    result = runner.invoke(args=["reports", "send-monthly"])
    assert result.exit_code == 0
    emails = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert sorted(e.to_address for e in emails[:2]) == sorted(m.email for m in members)
    assert "/reports" in emails[0].body_text and "1 July 2026" in emails[0].body_text
    assert send_monthly(date(2026, 12, 1)) == 2
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == len(emails) + 2


def test_a_board_member_sees_no_officer_pages(app, partnership):
    board = _board(app)
    for url in ("/feedback/analysis", "/feedback/moderation", "/monitoring", "/responses",
                "/safeguarding", "/feedback/analysis.csv", "/audit"):  # fmt: skip
        assert board.get(url).status_code == 403, url
    assert board.get("/reports/listening").status_code == 200
    assert "Plan a session" not in board.get("/reports/listening").get_data(as_text=True)


def test_the_report_is_made_once_per_change_and_a_new_item_shows_at_once(
    app, partnership, monkeypatch
):
    from engage.reports import logic
    from tests.reports.conftest import _item

    made = []
    board_report = logic.board_report
    monkeypatch.setattr(logic, "board_report", lambda *a: made.append(1) or board_report(*a))
    board, other_board = _board(app), _board(app)
    headline = '<span class="govuk-heading-l govuk-!-margin-bottom-0">{}</span>'
    assert headline.format(5) in board.get(f"/reports?{Q3}").get_data(as_text=True)
    assert headline.format(5) in other_board.get(f"/reports?{Q3}").get_data(as_text=True)
    assert len(made) == 1
    db.session.add(_item("More street lights by the park, please", date(2026, 8, 14)))
    db.session.commit()
    assert headline.format(6) in board.get(f"/reports?{Q3}").get_data(as_text=True)
    assert len(made) == 2
