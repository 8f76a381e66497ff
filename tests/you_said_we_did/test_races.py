"""Double clicks and two three_officers at once, with real threads and connections: never a 500,
never a duplicate. Run on SQLite and again on PostgreSQL by `make test`."""

import re
from datetime import date

from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.audit.models import AuditEntry
from engage.extensions import limiter
from engage.feedback import logic as feedback
from engage.feedback.models import Theme
from engage.you_said_we_did import logic
from engage.you_said_we_did.models import Follow, Notice, Rating, Reaction, Response, Stage
from tests.conftest import csrf_token, signed_in
from tests.factories import create_user
from tests.races import at_once

ROUNDS = 3  # each race is run several times: a lucky ordering must not hide a bug


def _waiting_response(author, email="kim@example.org") -> Response:
    item = feedback.submit_online(
        feedback.NewItem(text="Too dark", source="online", received_on=date(2026, 11, 1),
                         email=email),
        consent=True,
    )  # fmt: skip
    item.status = "approved"
    response = logic.save_draft(author, None, {"title": "Lights", "you_said": "Dark",
                                               "we_did": "Lit", "status": "done"})  # fmt: skip
    logic.link_items(author, response, [item.id])
    logic.submit_for_review(author, response)
    return response


def _poster(client, page: str, action: str, data: dict | None = None):
    token = csrf_token(client, page)
    return lambda: client.post(action, data={**(data or {}), "csrf_token": token})


def test_two_officers_approving_at_once_publish_once(app, db_session, three_officers):
    author, first, second = three_officers
    clients = [signed_in(app, first), signed_in(app, second)]
    for _ in range(ROUNDS):
        response = _waiting_response(author)
        page = f"/responses/{response.id}"
        results = at_once(*(_poster(c, page, f"{page}/approve") for c in clients))
        assert [r.status_code for r in results] == [302, 302], results
        db_session.expire_all()
        assert db_session.get(Response, response.id).stage == Stage.PUBLISHED
        approvals = db_session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "response.approved", AuditEntry.subject_id == response.id
            )
        )
        notices = db_session.scalar(
            select(func.count(Notice.id)).where(Notice.response_id == response.id)
        )
        assert (approvals, notices) == (1, 1)


def test_two_officers_starting_a_change_at_once_share_one(app, db_session, three_officers):
    author, first, second = three_officers
    clients = [signed_in(app, first), signed_in(app, second)]
    for _ in range(ROUNDS):
        response = _waiting_response(author)
        logic.approve(first, response)
        page = f"/responses/{response.id}"
        results = at_once(*(_poster(c, page, f"{page}/change") for c in clients))
        assert all(r.status_code == 302 for r in results), results
        db_session.expire_all()
        assert len(logic.revisions(db_session.get(Response, response.id))) == 1


def test_a_double_click_on_a_verdict_counts_once(app, db_session, three_officers):
    author, reviewer, _ = three_officers
    response = _waiting_response(author)
    logic.approve(reviewer, response)
    client = app.test_client()
    page = f"/you-said-we-did/{response.id}"
    for _ in range(ROUNDS):
        body = client.get(page).get_data(as_text=True)
        once = re.search(r'name="once" type="hidden" value="([0-9a-f]+)"', body).group(1)
        data = {"answer": "yes", "once": once, "csrf_token": csrf_token(client, page)}
        results = at_once(*(lambda d=data: client.post(page, data=d) for _ in range(2)))
        assert [r.status_code for r in results] == [302, 302], results
    assert db_session.scalar(select(func.count(Rating.id))) == ROUNDS


def test_following_twice_at_once_keeps_one_follow(app, db_session, themes):
    lighting = db_session.scalar(select(Theme).where(Theme.slug == "lighting"))
    for n in range(ROUNDS):
        limiter.reset()  # one address for every round here; people follow once or twice
        clients = [app.test_client(), app.test_client()]
        data = {"email": f"kim{n}@example.org", "theme": str(lighting.id)}
        results = at_once(
            *(_poster(c, "/you-said-we-did", "/you-said-we-did/follow", data) for c in clients)
        )
        assert all(r.status_code == 302 for r in results), results
    assert db_session.scalar(select(func.count(Follow.id))) == ROUNDS


def test_an_ambassadors_first_answer_from_two_tabs_is_one_answer(app, db_session, three_officers):
    consultation = logic.save_consultation(
        three_officers[0], {"title": "Which poster?", "draft": "Spring", "option_a": "A",
                      "option_b": "B", "audience": "ambassadors"},
    )  # fmt: skip
    page = f"/have-your-say/drafts/{consultation.id}"
    for _ in range(ROUNDS):
        ambassador = create_user(Role.YOUTH_AMBASSADOR)
        tabs = [signed_in(app, ambassador), signed_in(app, ambassador)]
        results = at_once(*(_poster(t, page, page, {"choice": "a"}) for t in tabs))
        assert all(r.status_code in (302, 400) for r in results), results
        assert any(r.status_code == 302 for r in results)
    assert db_session.scalar(select(func.count(Reaction.id))) == ROUNDS
