"""Links in emails tell nothing: no address inside, and the private page's link expires (each
email brings a new one)."""

import re
from datetime import timedelta

from sqlalchemy import select

from engage.notifications.models import OutboxMessage
from engage.tokens import Purpose, Token
from engage.you_said_we_did import logic
from tests.you_said_we_did.test_responses import _draft, _said


def _digest_links(db_session) -> tuple[str, str]:
    body = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "ysd_digest")
    ).body_text
    mine = re.search(r"/my-feedback/(\S+)", body).group(1)
    stop = re.search(r"/unsubscribe/(\S+)", body).group(1)
    return mine, stop


def test_the_private_link_expires_and_no_link_holds_the_address(client, db_session, officers):
    author, reviewer = officers
    item = _said("Too dark", email="ali.khan@example.org")
    response = _draft(author)
    logic.link_items(author, response, [item.id])
    logic.submit_for_review(author, response)
    logic.approve(reviewer, response)
    logic.send_digests(response.published_at.date())
    mine, stop = _digest_links(db_session)
    for link in (mine, stop):
        assert "ali" not in link.lower() and "example" not in link and "." not in link
    assert client.get(f"/my-feedback/{mine}").status_code == 200
    stored = db_session.scalar(select(Token).where(Token.purpose == Purpose.MY_FEEDBACK.value))
    assert stored.expires_at - stored.created_at == timedelta(days=30)
    assert stored.digest != mine  # only a digest of the link is kept
    stored.expires_at = stored.created_at
    db_session.commit()
    expired = client.get(f"/my-feedback/{mine}")
    assert expired.status_code == 404 and "This link has expired" in expired.get_data(as_text=True)
    assert client.get(f"/unsubscribe/{stop}").status_code == 200  # still lets them stop
