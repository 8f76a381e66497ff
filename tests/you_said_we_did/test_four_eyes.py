"""Nothing is published on one officer's word: the approver wrote or changed none of it; a
change to a published response is a revision the public does not see until a second officer
approves it; every change and approval is in the append-only audit log."""

from datetime import date

import pytest
from sqlalchemy import select, text

from engage.audit.models import AuditEntry, AuditLogIsAppendOnly
from engage.feedback import logic as feedback
from engage.feedback.models import FeedbackItem
from engage.you_said_we_did import logic
from engage.you_said_we_did.models import Response, Stage
from tests.conftest import csrf_token, signed_in


def _said(text: str) -> FeedbackItem:
    item = feedback.submit_online(
        feedback.NewItem(text=text, source="online", received_on=date(2026, 11, 1)),
        consent=False,
    )
    item.status = "approved"
    return item


def _draft(officer, **values) -> Response:
    base = {"title": "Lights in the underpass", "you_said": "It is too dark",
            "we_did": "Six lights fixed", "status": "done", "partners": ["council"]}  # fmt: skip
    return logic.save_draft(officer, None, {**base, **values})


def _published(author, reviewer) -> Response:
    response = _draft(author)
    logic.link_items(author, response, [_said("The underpass is pitch black").id])
    logic.submit_for_review(author, response)
    return logic.approve(reviewer, response)


def test_whoever_changed_any_part_of_a_draft_cannot_approve_it(db_session, three_officers):
    author, linker, third = three_officers
    response = _draft(author)
    logic.link_items(linker, response, [_said("Too dark").id])  # the second officer helped
    logic.submit_for_review(author, response)
    for helper in (author, linker):
        with pytest.raises(logic.ResponseError, match="changed none of it"):
            logic.approve(helper, response)
        assert logic.allowed(helper, response).approve is False
    assert logic.allowed(third, response).approve is True
    logic.approve(third, response)
    assert response.stage == Stage.PUBLISHED and response.approved_by_id == third.id


def test_a_change_to_a_published_response_waits_for_a_second_officer(
    client, db_session, three_officers
):
    author, reviewer, third = three_officers
    response = _published(author, reviewer)
    revision = logic.start_revision(reviewer, response)
    values = {"title": "Lights in the underpass", "you_said": "It is too dark",
              "we_did": "Twelve lights fixed and a camera", "status": "done",
              "partners": ["council", "police"]}  # fmt: skip
    logic.save_draft(reviewer, revision, values)
    logic.link_items(reviewer, revision, [_said("Still dark on Fridays").id])
    logic.submit_for_review(reviewer, revision)
    public = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "Six lights fixed" in public and "Twelve lights" not in public
    assert client.get(f"/you-said-we-did/{revision.id}").status_code == 404
    assert "No responses match" in client.get("/you-said-we-did?q=Twelve").get_data(as_text=True)
    with pytest.raises(logic.ResponseError, match="changed none of it"):
        logic.approve(reviewer, revision)
    logic.approve(author, revision)  # the first author changed none of this change
    public = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "Twelve lights fixed and a camera" in public
    assert len(response.items) == 2 and revision.stage == Stage.MERGED
    assert logic.revisions(response) == [revision] and revision.approved_by_id == author.id
    page = signed_in(client.application, third).get(f"/responses/{response.id}")
    body = page.get_data(as_text=True)
    assert "Changes since it was first published" in body and reviewer.display_name in body
    actions = [e.action.value for e in logic.history(response)]
    assert actions[-1] == "response.approved" and "revision.started" in actions


def test_an_update_to_a_published_response_needs_a_second_officer(
    client, db_session, three_officers
):
    author, reviewer, _ = three_officers
    response = _published(author, reviewer)
    revision = logic.add_update(author, response, "Two more lights", 80, "in_progress")
    assert response.updates == [] and response.progress == 0
    public = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "Two more lights" not in public
    logic.submit_for_review(author, revision)
    with pytest.raises(logic.ResponseError):
        logic.approve(author, revision)
    logic.approve(reviewer, revision)
    public = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "Two more lights" in public and response.progress == 80


def test_the_author_sees_no_approve_button_and_a_second_officer_does(
    app, db_session, three_officers
):
    author, reviewer, _ = three_officers
    response = _draft(author)
    logic.link_items(author, response, [_said("Dark").id])
    logic.submit_for_review(author, response)
    mine = signed_in(app, author).get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Approve and publish" not in mine and "another officer must approve it" in mine
    client = signed_in(app, reviewer)
    theirs = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Approve and publish" in theirs
    token = csrf_token(client, f"/responses/{response.id}")
    client.post(f"/responses/{response.id}/approve", data={"csrf_token": token})
    assert db_session.get(Response, response.id).stage == Stage.PUBLISHED


def test_the_audit_log_is_append_only(db_session, three_officers):
    author, reviewer, _ = three_officers
    _published(author, reviewer)
    entry = db_session.scalar(select(AuditEntry))
    entry.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()
    with pytest.raises(Exception, match="never changed or deleted"):
        db_session.execute(text("UPDATE audit_entries SET action = 'x'"))
    db_session.rollback()
