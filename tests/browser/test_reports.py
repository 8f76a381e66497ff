"""In Chromium: a provider sends a funded project's return, an officer accepts it, and a board
member reads the community-voice report (desktop and 320 px wide, checked with axe), downloads a
table as CSV and the report as a PDF made by a real background worker."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from engage.accounts.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.test_budgeting import sign_in
from tests.factories import create_user
from tests.reports.conftest import partnership  # noqa: F401  (the data reported on)
from tests.workers import worker  # noqa: F401  (the PDF is made by a real job worker)

Q3 = "?start=2026-07-01&end=2026-09-30"


def _new_page(browser, live_server, width: int = 1280):
    context = browser.new_context(
        base_url=live_server, locale="en-GB", viewport={"width": width, "height": 900},
        accept_downloads=True,
    )  # fmt: skip
    return context.new_page()


def test_a_return_is_sent_and_accepted_then_the_board_reads_the_report(
    browser,
    live_server,
    app,
    partnership,  # noqa: F811  (the fixture imported above)
    worker,  # noqa: F811
):
    from engage.budgeting.models import FundedProject
    from engage.extensions import db

    project = db.session.scalar(db.select(FundedProject))
    provider = project.bid.submitted_by

    page = _new_page(browser, live_server)
    sign_in(page, provider)
    page.get_by_role("link", name="Report what your project delivered").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("^Send the return")).first.click()
    page.get_by_label("Sessions held this quarter").fill("6")
    page.get_by_label("West Ward: 11 to 17", exact=True).fill("14")
    page.get_by_label("Other areas: 18 to 24", exact=True).fill("3")
    page.get_by_label(re.compile("What happened")).fill("Six sessions in the park.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send the return").click()
    expect(page.get_by_text("Return sent. An officer will check it.")).to_be_visible()

    office = _new_page(browser, live_server)
    sign_in(office, create_user(Role.ENGAGEMENT_OFFICER))
    office.get_by_role("link", name="Monitoring returns").click()
    office.get_by_role("link", name=re.compile("^Street football: ")).click()
    expect(office.get_by_text("82% of participants were 11–17 from West Ward")).to_be_visible()
    assert axe_violations(office) == []
    office.get_by_role("button", name="Accept the return").click()
    expect(office.get_by_text("Return accepted")).to_be_visible()

    board = _new_page(browser, live_server)
    sign_in(board, create_user(Role.BOARD_MEMBER))
    board.get_by_role("link", name="Community-voice report").click()
    board.goto("/reports" + Q3)
    expect(board.locator("#headline-items")).to_contain_text("5")
    expect(
        board.get_by_text("72% of participants were 11–17 from West Ward; target 60%")
    ).to_be_visible()
    assert axe_violations(board) == []
    board.set_viewport_size({"width": 320, "height": 800})
    assert axe_violations(board) == []
    board.set_viewport_size({"width": 1280, "height": 900})

    with board.expect_download() as got:
        board.get_by_role(
            "link", name="Download this table as CSV (What we heard, by theme)"
        ).click()
    rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text())))
    assert (
        rows[0] == ["theme", "items", "items_before", "change"] and ["parks", "3", "1", "2"] in rows
    )

    board.get_by_role("button", name="Make a PDF of this report").click()
    expect(board.get_by_text("Your PDF is ready")).to_be_visible(timeout=120_000)
    assert axe_violations(board) == []
    with board.expect_download() as got:
        board.get_by_role("link", name="Download the report (PDF)").click()
    pdf = Path(got.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF-") and "items of feedback (2 the period before)" in text
