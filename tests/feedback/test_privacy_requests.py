"""Subject-access and erasure requests: the officer answers what they may see, and what the
safeguarding lead holds goes to the lead, who alone reads it and decides."""

import json
import re
from datetime import date

from sqlalchemy import select

from engage.audit.models import AuditEntry
from engage.feedback import logic
from engage.feedback.models import CaseAction, FeedbackItem, PrivacyRequest
from engage.notifications.models import OutboxMessage
from tests.conftest import csrf_token, post_form, signed_in

DISCLOSURE = "Also my uncle hits me when mum is out"


def _leave_feedback(email: str = "ali@example.org") -> None:
    for text in ("Please tell me what happens to the park", DISCLOSURE):
        logic.submit_online(
            logic.NewItem(text=text, source="online", received_on=date.today(), email=email),
            consent=True,
        )


def _action(client, path: str, email: str, **kwargs):
    token = csrf_token(client, "/feedback/privacy")
    return client.post(path, data={"email": email, "csrf_token": token}, **kwargs)


def test_the_officer_sees_a_count_of_what_the_lead_holds_never_its_text(
    client, auth, db_session, themes, officer
):
    _leave_feedback()
    auth.sign_in_as(officer)
    found = post_form(client, "/feedback/privacy", {"email": "ALI@example.org"})
    page = found.get_data(as_text=True)
    assert "1 item you can see is linked to ali@example.org" in page
    assert "1 more item is held by the safeguarding lead" in page
    assert "Please tell me what happens" in page and "hits me" not in page
    download = _action(client, "/feedback/privacy/export.json", "ali@example.org")
    data = json.loads(download.get_data(as_text=True))
    assert "hits me" not in download.get_data(as_text=True)
    assert [i["text"] for i in data["items"]] == ["Please tell me what happens to the park"]
    assert data["items_passed_to_safeguarding_lead"] == 1
    passed = db_session.scalars(select(PrivacyRequest)).all()
    assert [(r.kind, r.passed_by_id) for r in passed] == [("access", officer.id)]
    again = post_form(client, "/feedback/privacy", {"email": "ali@example.org"})
    assert "passed to the safeguarding lead on" in again.get_data(as_text=True)


def test_the_lead_is_told_without_the_text_and_decides_what_is_released(
    app, client, auth, db_session, themes, officer, lead
):
    _leave_feedback()
    auth.sign_in_as(officer)
    _action(client, "/feedback/privacy/export.json", "ali@example.org")
    _action(client, "/feedback/privacy/export.json", "ali@example.org")  # asked twice: one
    request = db_session.scalar(select(PrivacyRequest))
    email = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "privacy_request")
    )
    assert email.to_address == lead.email and "hits me" not in email.subject + email.body_text
    assert db_session.query(PrivacyRequest).count() == 1
    client = signed_in(app, lead)
    page = f"/safeguarding/requests/{request.id}"
    assert DISCLOSURE in client.get(page).get_data(as_text=True)
    no_reason = client.post(
        page + "/decide", data={"note": "", "csrf_token": csrf_token(client, page)}
    )
    assert no_reason.status_code == 400
    assert "Say why the other items are held back" in no_reason.get_data(as_text=True)
    client.post(
        page + "/decide",
        data={"chosen": [str(request.item_ids[0])], "csrf_token": csrf_token(client, page)},
    )
    assert request.decided_by_id == lead.id and request.chosen_ids == request.item_ids
    released = client.get(page + "/release.json").get_data(as_text=True)
    assert DISCLOSURE in released
    actions = db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "request.read" in actions and "request.decided" in actions
    assert "request.release_read" in actions


def test_an_erasure_keeps_the_case_but_the_lead_may_erase_its_words(
    app, client, auth, db_session, themes, officer, lead
):
    _leave_feedback()
    auth.sign_in_as(officer)
    done = _action(client, "/feedback/privacy/erase", "ali@example.org", follow_redirects=True)
    assert "1 items are held by the safeguarding lead" in done.get_data(as_text=True)
    held = db_session.scalars(select(FeedbackItem)).all()
    assert [(i.text, i.contact_id) for i in held] == [(DISCLOSURE, None)]
    request = db_session.scalar(select(PrivacyRequest))
    assert request.kind == "erasure" and request.email == "ali@example.org"
    client = signed_in(app, lead)
    page = f"/safeguarding/requests/{request.id}"
    client.post(
        page + "/decide",
        data={"chosen": [str(held[0].id)], "csrf_token": csrf_token(client, page)},
    )
    assert held[0].text == "" and request.decided_at is not None
    notes = db_session.scalars(select(CaseAction.note)).all()
    assert any(re.search(r"erased at the person's request", n) for n in notes)


def test_a_request_cannot_be_decided_twice_or_with_items_it_never_held(
    app, client, auth, db_session, themes, officer, lead
):
    _leave_feedback()
    auth.sign_in_as(officer)
    _action(client, "/feedback/privacy/export.json", "ali@example.org")
    request = db_session.scalar(select(PrivacyRequest))
    client = signed_in(app, lead)
    page = f"/safeguarding/requests/{request.id}"
    stranger = client.post(
        page + "/decide", data={"chosen": ["999999"], "csrf_token": csrf_token(client, page)}
    )
    assert stranger.status_code == 400 and request.decided_at is None
    token = csrf_token(client, page)
    client.post(page + "/decide", data={"note": "Would put her at risk", "csrf_token": token})
    twice = client.post(page + "/decide", data={"note": "again", "csrf_token": token})
    assert twice.status_code == 400 and "already been decided" in twice.get_data(as_text=True)
    assert request.chosen_ids == [] and request.note == "Would put her at risk"
    assert client.get(page + "/release.json").status_code == 404
