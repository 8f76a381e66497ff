"""The loop closed, in Chromium: a resident leaves feedback with an email; an officer links it
to a new response and a second officer approves it; the resident gets the email on a real
SMTP server, opens their private link and sees the response; an update approved by the
other officer brings one digest; the loop-closure figure moves."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from engage.accounts.roles import Role
from engage.database import utcnow
from engage.notifications.logic import send_pending
from engage.notifications.transport import SMTPTransport
from engage.you_said_we_did.logic import send_digests
from tests.browser.conftest import axe_violations
from tests.browser.test_budgeting import sign_in
from tests.factories import create_user
from tests.smtp import SMTPServer


def _deliver(app, server: SMTPServer, day) -> None:
    with app.app_context():
        send_digests(day)
        send_pending(SMTPTransport({**app.config, **server.config()}))


def _body(message) -> str:
    return (
        message.get_payload(decode=True).decode()
        if not message.is_multipart()
        else (message.get_payload(0).get_payload(decode=True).decode())
    )


def test_a_resident_hears_what_was_done(browser, live_server, app):
    author = create_user(Role.ENGAGEMENT_OFFICER, display_name="Priya")
    reviewer = create_user(Role.ENGAGEMENT_OFFICER, display_name="Tom")

    def new_page():
        return browser.new_context(base_url=live_server, locale="en-GB").new_page()

    resident = new_page()
    resident.goto("/have-your-say")
    resident.get_by_label("What would you like to tell us?").fill(
        "The path behind the leisure centre has no lights at all"
    )
    resident.get_by_label("Email address (optional)").fill("jo@example.org")
    resident.get_by_label(re.compile("I agree that the partnership may email me")).check()
    resident.get_by_role("button", name="Send").click()
    expect(resident.get_by_role("heading", name="Thank you for having your say")).to_be_visible()

    office = new_page()
    sign_in(office, author)
    office.goto("/feedback/moderation")
    office.get_by_role("button", name=re.compile("^Approve")).click()
    office.goto("/responses")
    office.get_by_role("link", name="Write a response").click()
    office.get_by_label("Short title", exact=True).fill("Lights on the leisure centre path")
    office.get_by_label("You said", exact=True).fill(
        "The path behind the leisure centre is dark at night."
    )
    office.get_by_label("We did", exact=True).fill("The council has put up eight new lights.")
    office.get_by_label("Done", exact=True).check()
    office.get_by_label("Council").check()
    assert axe_violations(office) == []
    office.get_by_role("button", name="Save draft").click()
    office.get_by_label(re.compile("path behind the leisure centre")).first.check()
    office.get_by_role("button", name="Link the ticked feedback").first.click()
    expect(office.get_by_text("1 item linked")).to_be_visible()
    office.get_by_role("button", name="Send for approval").click()
    expect(office.get_by_role("button", name="Approve and publish")).to_have_count(0)
    expect(office.get_by_text("another officer must approve it")).to_be_visible()
    manage_url = office.url

    second = new_page()
    sign_in(second, reviewer)
    second.goto(manage_url)
    assert axe_violations(second) == []
    second.get_by_role("button", name="Approve and publish").click()
    expect(
        second.get_by_text("Published. Everyone whose feedback it answers will be told.")
    ).to_be_visible()

    with SMTPServer() as server:
        _deliver(app, server, utcnow().date())
        assert [m["To"] for m in server.messages] == ["jo@example.org"]
        body = _body(server.messages[0])
        assert "Lights on the leisure centre path" in body
        private = re.search(r"http://\S+/my-feedback/\S+", body).group(0)
        resident.goto(private.replace(re.match(r"http://[^/]+", private).group(0), live_server))
        expect(resident.get_by_text("has no lights at all")).to_be_visible()
        resident.get_by_role("link", name="Lights on the leisure centre path").click()
        expect(resident.get_by_text("The council has put up eight new lights.")).to_be_visible()
        assert axe_violations(resident) == []

        second.get_by_label("What has happened").fill("Two more lights by the car park.")
        second.get_by_label("Progress (%) (optional)").fill("100")
        second.get_by_role("button", name="Propose the update").click()
        second.get_by_role("button", name="Send for approval").click()
        _deliver(app, server, utcnow().date())
        assert len(server.messages) == 1  # nothing public until a second officer approves
        office.goto(second.url)  # the first author changed none of this update
        office.get_by_role("button", name="Approve and publish").click()
        expect(office.get_by_text("Published.")).to_be_visible()
        _deliver(app, server, utcnow().date())
        assert len(server.messages) == 1  # one digest a day at most
        _deliver(app, server, utcnow().date() + timedelta(days=1))
        assert len(server.messages) == 2 and server.messages[1]["To"] == "jo@example.org"

    resident.goto("/you-said-we-did/accountability")
    expect(resident.locator("#loop-closure")).to_contain_text(
        "100% of the feedback we have approved"
    )
    assert axe_violations(resident) == []
