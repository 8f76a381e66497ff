"""You said, we did: four eyes before publication, only approved feedback linked, updates on
a timeline, one digest per person per day with a working unsubscribe link, the public board
and its feed, people's private page, and the accountability figures."""

import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.database import utcnow
from engage.feedback import logic as feedback
from engage.feedback.models import FeedbackItem
from engage.notifications.models import OutboxMessage
from engage.you_said_we_did import accountability, logic
from engage.you_said_we_did.models import Stage
from tests.conftest import post_form
from tests.factories import create_user


def _said(text, email="", status="approved", received=None, **extra) -> FeedbackItem:
    item = feedback.submit_online(
        feedback.NewItem(
            text=text, source="online", received_on=received or date(2026, 11, 1), email=email,
            **extra,
        ),
        consent=bool(email),
    )  # fmt: skip
    if status == "approved" and item.status == "pending":
        item.status = "approved"
    return item


def _draft(officer, **values):
    base = {
        "title": "Lights in the underpass",
        "you_said": "It is too dark to walk home",
        "we_did": "The council fixed six lights",
        "status": "done",
        "partners": ["council"],
    }
    return logic.save_draft(officer, None, {**base, **values})


def _publish_update(author, reviewer, response, text, progress=None, status=None):
    """An update as officers make one: proposed by one, approved by another."""
    revision = logic.add_update(author, response, text, progress, status)
    logic.submit_for_review(author, revision)
    return logic.approve(reviewer, revision)


def test_a_second_officer_must_approve_before_anything_is_published(db_session, officers):
    author, reviewer = officers
    item = _said("The underpass is pitch black", email="sam@example.org")
    response = _draft(author)
    with pytest.raises(logic.ResponseError, match="Link at least one"):
        logic.submit_for_review(author, response)
    logic.link_items(author, response, [item.id])
    logic.submit_for_review(author, response)
    with pytest.raises(logic.ResponseError, match="Another officer"):
        logic.approve(author, response)
    assert logic.board(logic.BoardFilters()).items == []
    logic.approve(reviewer, response)
    assert response.stage == Stage.PUBLISHED and response.approved_by_id == reviewer.id
    assert logic.board(logic.BoardFilters()).items == [response]


def test_no_we_did_no_publication_unless_not_taken_forward(db_session, officers):
    author, _ = officers
    item = _said("Ban all cars")
    response = _draft(author, we_did="")
    logic.link_items(author, response, [item.id])
    with pytest.raises(logic.ResponseError, match="Say what was done"):
        logic.submit_for_review(author, response)
    with pytest.raises(logic.ResponseError, match="why"):
        logic.save_draft(author, response, {**_values(response), "status": "not_taken_forward"})
    logic.save_draft(
        author, response, {**_values(response), "status": "not_taken_forward", "reason": "Law"}
    )
    logic.submit_for_review(author, response)


def _values(response) -> dict:
    return {"title": response.title, "you_said": response.you_said, "we_did": response.we_did,
            "status": response.status, "partners": response.partner_list}  # fmt: skip


def test_only_approved_feedback_can_be_linked(db_session, officers, themes):
    author, _ = officers
    flagged = _said("sometimes i want to die")
    pending = _said("Not read yet", status="pending")
    assert flagged.status == "safeguarding"
    response = _draft(author)
    with pytest.raises(logic.ResponseError, match="Only approved feedback"):
        logic.link_items(author, response, [flagged.id, pending.id])
    assert response.items == []


def test_people_get_one_digest_a_day_and_can_stop_them(client, db_session, officers):
    author, reviewer = officers
    item = _said("Too dark", email="Sam@Example.org")
    other = _said("Also too dark", email="sam@example.org")
    anonymous = _said("Dark again")
    response = _draft(author)
    logic.link_items(author, response, [item.id, other.id, anonymous.id])
    logic.submit_for_review(author, response)
    logic.approve(reviewer, response)
    _publish_update(author, reviewer, response, "Two more lights", 80, "in_progress")
    today = utcnow().date()
    assert logic.send_digests(today) == 1
    assert logic.send_digests(today) == 0  # nothing new, and one a day at most
    _publish_update(author, reviewer, response, "All done", 100, "done")
    assert logic.send_digests(today) == 0  # already had today's
    assert logic.send_digests(today + timedelta(days=1)) == 1
    messages = db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.to_address for m in messages] == ["sam@example.org"] * 2
    body = messages[0].body_text
    assert "Lights in the underpass" in body and f"/you-said-we-did/{response.id}" in body
    mine = re.search(r"/my-feedback/(\S+)", body).group(1)
    page = client.get(f"/my-feedback/{mine}").get_data(as_text=True)
    assert "Too dark" in page and "Also too dark" in page and "Dark again" not in page
    stop = re.search(r"/unsubscribe/(\S+)", body).group(1)
    assert client.get(f"/unsubscribe/{stop}x").status_code == 400  # tampered
    assert client.get(f"/my-feedback/{mine}x").status_code == 404
    assert "sam" not in mine.lower() and "sam" not in stop.lower()  # the links say nothing
    assert "Stop emails" in client.get(f"/unsubscribe/{stop}").get_data(as_text=True)
    post_form(client, f"/unsubscribe/{stop}", {})
    _publish_update(author, reviewer, response, "Checked again")
    assert logic.send_digests(today + timedelta(days=2)) == 0


def test_ambassadors_whose_forum_fed_a_response_are_told(db_session, officers):
    from engage.budgeting.pots import set_areas
    from engage.feedback.models import Forum, ForumSession
    from tests.factories import create_geography

    author, reviewer = officers
    create_geography()
    lap = db_session.scalar(select(feedback.Area).where(feedback.Area.code == "T-LAP"))
    ambassador, elsewhere = create_user(Role.YOUTH_AMBASSADOR), create_user(Role.YOUTH_AMBASSADOR)
    set_areas(author, ambassador, [lap.id])
    session = ForumSession(
        forum=Forum(name="Youth Ambassadors", audience="youth", areas=[lap]),
        held_on=date(2026, 10, 1),
    )
    items = feedback.enter_items(
        author,
        [feedback.NewItem(text="More youth clubs", source="session", received_on=date(2026, 10, 1),
                          session=session)],
    )  # fmt: skip
    response = _draft(author)
    logic.link_items(author, response, [items[0].id])
    logic.submit_for_review(author, response)
    logic.approve(reviewer, response)
    logic.send_digests(utcnow().date())
    recipients = set(db_session.scalars(select(OutboxMessage.to_address)))
    assert recipients == {ambassador.email}
    assert elsewhere.email not in recipients


def test_the_public_board_page_and_feed(client, db_session, officers, themes):
    author, reviewer = officers
    for title, partner, theme in (
        ("Lights", "council", "lighting"),
        ("Talks", "police", "knife-crime"),
    ):
        response = _draft(
            author,
            title=title,
            you_said=f"People asked about {title.lower()}",
            we_did=f"We acted on {title.lower()}",
            partners=[partner],
            theme_ids=[themes[theme].id],
        )
        logic.link_items(author, response, [_said(f"About {title}").id])
        logic.submit_for_review(author, response)
        logic.approve(reviewer, response)
    hidden = _draft(author, title="Secret draft")
    board = client.get("/you-said-we-did?partner=police").get_data(as_text=True)
    assert "Talks" in board and "Lights" not in board and "Secret draft" not in board
    assert client.get(f"/you-said-we-did/{hidden.id}").status_code == 404
    page = client.get("/you-said-we-did?q=light").get_data(as_text=True)
    assert "Lights" in page and "Talks" not in page
    feed = client.get(f"/you-said-we-did.atom?theme={themes['knife-crime'].id}")
    assert feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.get_data())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == ["Talks"]
    show = client.get("/you-said-we-did/1").get_data(as_text=True)
    assert "About Lights" in show and "Timeline" in show


def test_the_loop_closure_figures(db_session, officers):
    author, reviewer = officers
    today = date(2026, 11, 23)
    answered = _said("Answered", received=today - timedelta(days=30))
    old = _said("Old and unanswered", received=today - timedelta(weeks=13))
    _said("New and unanswered", received=today - timedelta(days=3))
    response = _draft(author)
    logic.link_items(author, response, [answered.id])
    logic.submit_for_review(author, response)
    logic.approve(reviewer, response)
    loop = accountability.loop(today)
    assert (loop.overall.answered, loop.overall.total) == (1, 3)
    assert loop.waiting == 1 and loop.oldest_waiting == [old]
    assert loop.by_partner["council"]["done"] == 1
    days = (response.published_at.date() - answered.received_on).days
    assert loop.median_days == days
    assert db_session.scalar(select(func.count(FeedbackItem.id))) == 3


def test_readers_say_whether_it_answered_and_comments_are_moderated(client, db_session, officers):
    author, reviewer = officers
    response = _draft(author)
    logic.link_items(author, response, [_said("Dark path").id])
    logic.submit_for_review(author, response)
    logic.approve(reviewer, response)
    url = f"/you-said-we-did/{response.id}"
    bad = post_form(client, url, {"answer": "maybe"})
    assert bad.status_code == 400 and "Choose yes, partly or no" in bad.get_data(as_text=True)
    post_form(client, url, {"answer": "partly", "comment": "Better, call me on 07700 900123"})
    post_form(client, url, {"answer": "yes"})
    assert logic.satisfaction(response) == {"yes": 1, "partly": 1, "no": 0}
    comment = db_session.scalar(select(FeedbackItem).where(FeedbackItem.prompt.like("Did this%")))
    assert comment.status == "pending" and "[phone number removed]" in comment.public_text
    loop = accountability.loop(date.today())
    assert loop.satisfaction == {"yes": 1, "partly": 1, "no": 0}


def test_overdue_actions_are_counted_per_partner(db_session, officers):
    author, reviewer = officers
    for title, status, due in (
        ("Done", "done", date(2026, 1, 1)),
        ("Late", "in_progress", date(2026, 1, 1)),
        ("On time", "planned", date(2099, 1, 1)),
    ):
        response = _draft(author, title=title, status=status, due_on=due, partners=["police"])
        logic.link_items(author, response, [_said(title).id])
        logic.submit_for_review(author, response)
        logic.approve(reviewer, response)
    counts = accountability.loop(date(2026, 11, 23)).by_partner["police"]
    assert (counts["done"], counts["overdue"], counts["open"]) == (1, 1, 1)


def test_a_draft_put_to_the_ambassadors_and_by_link(client, auth, db_session, officers):
    author, _ = officers
    auth.sign_in_as(author)
    response = post_form(
        client,
        "/responses/drafts",
        {
            "title": "Which poster?",
            "draft": "Knife crime campaign, spring",
            "option_a": "A photo of a knife",
            "option_b": "A family waiting at a hospital",
            "audience": "ambassadors",
        },
    )
    manage = response.headers["Location"]
    consultation_id = int(manage.rsplit("/", 1)[1])
    client.delete_cookie("session")
    assert client.get(f"/have-your-say/drafts/{consultation_id}").status_code == 404
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    auth.sign_in_as(ambassador)
    assert "Which poster?" in client.get("/have-your-say/drafts").get_data(as_text=True)
    url = f"/have-your-say/drafts/{consultation_id}"
    post_form(client, url, {"choice": "a"})
    post_form(client, url, {"choice": "b", "comment": "Knives make it look normal"})
    client.delete_cookie("session")
    auth.sign_in_as(author)
    page = client.get(manage).get_data(as_text=True)
    assert re.search(r"A family waiting at a hospital</td><td[^>]*>1<", page)
    assert re.search(r"A photo of a knife</td><td[^>]*>0<", page)  # the ambassador changed
    assert "Knives make it look normal" not in page  # not until a moderator approves it


def test_residents_follow_a_theme_once_they_confirm(client, db_session, officers, themes):
    author, reviewer = officers
    sent = client.post(
        "/you-said-we-did/follow",
        data={
            "email": "Kim@example.org",
            "theme": str(themes["lighting"].id),
            "csrf_token": _csrf(client),
        },
        follow_redirects=True,
    )
    assert "we have emailed you a link to confirm" in sent.get_data(as_text=True)
    confirm = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "ysd_follow_confirm")
    )
    link = re.search(r"/you-said-we-did/follow/\S+", confirm.body_text).group(0)

    def publish(title):
        draft = _draft(author, title=title, theme_ids=[themes["lighting"].id])
        logic.link_items(author, draft, [_said(f"About {title}").id])
        logic.submit_for_review(author, draft)
        logic.approve(reviewer, draft)

    publish("Before confirming")
    assert logic.send_digests(utcnow().date()) == 0
    client.get(link)
    publish("After confirming")
    assert logic.send_digests(utcnow().date()) == 1
    digest = db_session.scalar(select(OutboxMessage).where(OutboxMessage.template == "ysd_digest"))
    assert digest.to_address == "kim@example.org"
    assert "After confirming" in digest.body_text and "Before confirming" not in digest.body_text
    assert client.get("/you-said-we-did/follow/not-a-token").status_code == 404


def _csrf(client) -> str:
    page = client.get("/you-said-we-did").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
