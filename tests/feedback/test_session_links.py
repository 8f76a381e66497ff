"""A youth forum on one Wi-Fi can all have their say: an officer opens the session's link (with
a QR code) and its own allowance; failed submissions do not count; "too many" still shows where
to get help."""

from sqlalchemy import func, select

from engage.feedback.models import FeedbackItem
from tests.conftest import csrf_token, post_form
from tests.feedback.test_capture import _session


def _open_link(client, session, allowance: int) -> str:
    page = f"/feedback/sessions/{session.id}"
    client.post(f"{page}/link", data={"allowance": str(allowance),
                                      "csrf_token": csrf_token(client, page)})  # fmt: skip
    body = client.get(page).get_data(as_text=True)
    assert "<svg" in body and "Scan to have your say" in body  # the QR code
    return session.link_code


def test_a_room_on_one_address_has_its_say_through_the_session_link(
    app, client, auth, db_session, themes, officer
):
    app.config["FEEDBACK_RATE_LIMIT"] = "2 per minute"
    try:
        session = _session(db_session)
        auth.sign_in_as(officer)
        code = _open_link(client, session, allowance=4)
        room = app.test_client()  # everyone in the room shares this one address
        url = f"/have-your-say/s/{code}"
        refused = post_form(room, url, {"text": ""})  # a mistake, put right: not counted
        assert refused.status_code == 400
        sent = [post_form(room, url, {"text": f"We need a youth club {n}"}).status_code
                for n in range(5)]  # fmt: skip
        assert sent == [302, 302, 302, 302, 429]
        items = db_session.scalars(
            select(FeedbackItem).where(FeedbackItem.session_id == session.id)
        )
        assert [(i.status, i.source) for i in items] == [("pending", "session")] * 4
        too_many = post_form(room, url, {"text": "One more"}).get_data(as_text=True)
        assert "0800 1111" in too_many and "999" in too_many  # still told where to get help
        direct = [post_form(room, "/have-your-say", {"text": f"Also {n}"}).status_code
                  for n in range(3)]  # fmt: skip
        assert direct == [302, 302, 429]  # the address's own limit is untouched by the link
    finally:
        app.config["FEEDBACK_RATE_LIMIT"] = "5 per minute;30 per hour"


def test_a_closed_or_made_up_link_takes_nothing(client, auth, db_session, themes, officer):
    session = _session(db_session)
    auth.sign_in_as(officer)
    code = _open_link(client, session, allowance=10)
    page = f"/feedback/sessions/{session.id}"
    client.post(f"{page}/link/close", data={"csrf_token": csrf_token(client, page)})
    for url in (
        f"/have-your-say/s/{code}",
        "/have-your-say/s/made-up",
        "/have-your-say/s/" + "x" * 300,
    ):
        response = client.get(url)
        assert response.status_code == 404 and "This link has closed" in response.get_data(
            as_text=True
        )
    assert db_session.scalar(select(func.count(FeedbackItem.id))) == 0
