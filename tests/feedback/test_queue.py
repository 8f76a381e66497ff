"""The moderation queue is paged and filterable by source, area, theme and age, in the
reader's language, so an officer can work through a busy week."""

from datetime import date

from engage.feedback import logic, moderation
from engage.feedback.models import FeedbackItem
from engage.feedback.moderation import QueueFilters
from tests.factories import create_geography

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}


def _item(text: str, **extra) -> FeedbackItem:
    return logic.submit_online(
        logic.NewItem(text=text, received_on=date(2026, 11, 1), **{"source": "online", **extra}),
        consent=False,
    )


def test_the_queue_is_paged_oldest_first(client, auth, db_session, officer):
    for n in range(moderation.PAGE_SIZE + 5):
        _item(f"Comment number {n}")
    auth.sign_in_as(officer)
    first = client.get("/feedback/moderation").get_data(as_text=True)
    assert "25 items are waiting" in first
    assert "Comment number 0<" in first and "Comment number 19<" in first
    assert "Comment number 20<" not in first and "?page=2" in first
    second = client.get("/feedback/moderation?page=2").get_data(as_text=True)
    assert "Comment number 20<" in second and "Comment number 0<" not in second
    beyond = client.get("/feedback/moderation?page=99").get_data(as_text=True)
    assert "Comment number 24<" in beyond  # past the end: the last page


def test_the_queue_filters_by_source_area_theme_and_age(client, auth, db_session, themes, officer):
    create_geography()
    lap = next(a for a in logic.areas() if a.level == "lap")
    ward = next(a for a in logic.areas() if a.parent_id == lap.id)
    from_session = _item("A youth club please", source="session", young_person=True)
    in_ward = _item("The park is dark", area=ward)
    _item("Nothing to say about anything")
    found = moderation.queue(QueueFilters(source="session"))
    assert found.items == [from_session] and found.total == 1
    assert moderation.queue(QueueFilters(area_id=lap.id)).items == [in_ward]
    lighting = themes["lighting"]
    in_ward.themes = [lighting]
    db_session.commit()
    assert moderation.queue(QueueFilters(theme_id=lighting.id)).items == [in_ward]
    assert moderation.queue(QueueFilters(age="young")).items == [from_session]
    assert from_session not in moderation.queue(QueueFilters(age="other")).items
    auth.sign_in_as(officer)
    page = client.get(f"/feedback/moderation?area={lap.id}").get_data(as_text=True)
    assert "1 item matches these filters." in page and "The park is dark" in page
    assert "A youth club please" not in page
    polish = client.get("/feedback/moderation?age=young", headers=POLISH).get_data(as_text=True)
    assert "Oznaczone jako wypowiedź młodej osoby" in polish and "A youth club please" in polish
    assert client.get("/feedback/moderation?theme=99999999999999").status_code == 400
