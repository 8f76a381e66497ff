"""Moderation before anything is published, names marked out, safeguarding cases with their
log and dashboard, and the 30-day erasure of rejected items."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from engage.database import utcnow
from engage.feedback import logic, moderation, safeguarding
from engage.feedback.models import CaseAction, FeedbackItem, Indicator, SafeguardingCase
from tests.conftest import csrf_token, post_form


def _online(text: str, **extra) -> FeedbackItem:
    return logic.submit_online(
        logic.NewItem(text=text, source="online", received_on=date(2026, 11, 1), **extra),
        consent=False,
    )


def test_approve_reject_and_names(client, auth, db_session, themes, officer):
    item = _online("Jay Smith from our road keeps saying there is nothing to do")
    other = _online("cheap pills here")
    auth.sign_in_as(officer)
    queue = client.get("/feedback/moderation").get_data(as_text=True)
    assert "2 items are waiting" in queue and "Youth provision" in queue  # a suggested theme
    client.post(
        f"/feedback/items/{item.id}/names",
        data={"names": "Jay Smith", "csrf_token": _token(client, item)},
    )
    assert item.public_text == "[name removed] from our road keeps saying there is nothing to do"
    assert item.text.startswith("Jay Smith")
    no_reason = client.post(
        f"/feedback/items/{other.id}/reject",
        data={"reason": "", "csrf_token": _token(client, other)},
        follow_redirects=True,
    )
    assert "Give a reason for rejecting it" in no_reason.get_data(as_text=True)
    client.post(
        f"/feedback/items/{other.id}/reject",
        data={"reason": "Spam", "csrf_token": _token(client, other)},
    )
    client.post(
        f"/feedback/items/{item.id}/approve",
        data={"back": "queue", "csrf_token": _token(client, item)},
    )
    client.post(
        f"/feedback/items/{item.id}/themes",
        data={"themes": [str(themes["youth-provision"].id)], "csrf_token": _token(client, item)},
    )
    assert (item.status, other.status, other.reason) == ("approved", "rejected", "Spam")
    assert item.themes == [themes["youth-provision"]] and item.moderated_by_id == officer.id
    assert moderation.waiting() == 0


def _token(client, item) -> str:
    import re

    page = client.get(f"/feedback/items/{item.id}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_an_officer_can_flag_an_item_by_hand(client, auth, db_session, themes, officer, lead):
    item = _online("My friend has stopped coming to school and has new trainers all the time")
    auth.sign_in_as(officer)
    missing = client.post(
        f"/feedback/items/{item.id}/flag",
        data={"note": "", "csrf_token": _token(client, item)},
        follow_redirects=True,
    )
    assert "Say briefly why you are concerned" in missing.get_data(as_text=True)
    client.post(
        f"/feedback/items/{item.id}/flag",
        data={"note": "Signs of exploitation", "csrf_token": _token(client, item)},
    )
    assert item.status == "safeguarding"
    case = db_session.scalar(select(SafeguardingCase))
    assert "Signs of exploitation" in case.reason
    with pytest.raises(logic.FeedbackError):
        moderation.approve(officer, item)


def test_the_lead_acknowledges_logs_and_closes_a_case(client, auth, db_session, themes, lead):
    item = _online("Sometimes I want to die")
    case = db_session.scalar(select(SafeguardingCase))
    assert case.item == item
    case.opened_at = utcnow() - timedelta(minutes=90)
    db_session.commit()
    auth.sign_in_as(lead)
    board = client.get("/safeguarding").get_data(as_text=True)
    assert f"Case {case.id}" in board and "not yet acknowledged" in board
    page = f"/safeguarding/cases/{case.id}"
    assert "Sometimes I want to die" in client.get(page).get_data(as_text=True)
    _post(client, page, "/acknowledge", {})
    again = _post(client, page, "/acknowledge", {}, follow_redirects=True)
    assert "already been acknowledged" in again.get_data(as_text=True)
    no_note = _post(client, page, "/log", {"kind": "referred", "note": " "})
    assert no_note.status_code == 400 and "Write what was done" in no_note.get_data(as_text=True)
    _post(client, page, "/log", {"kind": "referred", "note": "Told school DSL"})
    _post(client, page, "/log", {"kind": "closed", "note": "School is supporting"})
    assert case.closed_at is not None and case.acknowledged_by_id == lead.id
    kinds = db_session.scalars(select(CaseAction.kind).order_by(CaseAction.id)).all()
    assert kinds == ["acknowledged", "referred", "closed"]
    dashboard = safeguarding.dashboard()
    assert dashboard.open == 0 and dashboard.median_to_acknowledge >= timedelta(minutes=89)


def _post(client, page: str, action: str, data: dict, **kwargs):

    return client.post(
        page + action, data={**data, "csrf_token": csrf_token(client, page)}, **kwargs
    )


def test_the_lead_manages_the_phrases(client, auth, db_session, themes, lead):
    auth.sign_in_as(lead)
    post_form(client, "/safeguarding/indicators", {"phrase": "Sleeping  ROUGH", "category": "harm"})
    assert db_session.scalar(select(Indicator).where(Indicator.phrase == "sleeping rough"))
    duplicate = post_form(
        client, "/safeguarding/indicators", {"phrase": "sleeping rough", "category": "harm"}
    )
    assert duplicate.status_code == 400 and "already on the list" in duplicate.get_data(
        as_text=True
    )
    item = _online("My brother is sleeping rough again")
    assert item.status == "safeguarding"


def test_the_suggestion_model_is_rebuilt_only_when_tagging_changes(db_session, themes, officer):
    item = _online("The park lights are broken again")
    moderation.approve(officer, item)
    first = moderation.suggester()
    assert moderation.suggester() is first  # nothing changed: the same model
    moderation.set_themes(officer, item, [themes["lighting"].id])
    second = moderation.suggester()
    assert second is not first and len(second.themes) == 1


def test_rejected_items_are_erased_after_30_days(db_session, themes, officer):
    item = _online("spam spam")
    moderation.set_themes(officer, item, [themes["knife-crime"].id])
    moderation.reject(officer, item, "Spam")
    assert moderation.erase_old_rejections(utcnow() + timedelta(days=29)) == 0
    assert moderation.erase_old_rejections(utcnow() + timedelta(days=31)) == 1
    assert db_session.scalar(select(func.count(FeedbackItem.id))) == 0
    links = db_session.execute(
        select(func.count()).select_from(FeedbackItem.themes.property.secondary)
    )
    assert links.scalar() == 0
