"""Capturing feedback: the public form, ambassadors, officers' bulk entry and CSV import, with
redaction and safeguarding on arrival; bad input refused with nothing saved."""

import io
from datetime import date

from sqlalchemy import func, select

from engage.accounts.roles import Role
from engage.feedback import logic
from engage.feedback.models import Contact, FeedbackItem, Forum, ForumSession, SafeguardingCase
from engage.notifications.models import OutboxMessage
from tests.conftest import post_form
from tests.factories import create_geography, create_user
from tests.workers import wait_for


def _count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_a_resident_has_their_say_anonymously_with_an_email_to_hear_back(
    client, db_session, themes
):
    create_geography()
    response = post_form(
        client,
        "/have-your-say",
        {
            "text": "Nothing to do round here. Ring me on 07700 900123 or sam@example.org",
            "email": "Sam@Example.org",
            "consent": "y",
        },
    )
    assert response.headers["Location"].endswith("/have-your-say/thank-you")
    item = db_session.scalar(select(FeedbackItem))
    assert item.status == "pending" and item.source == "online" and item.submitted_by_id is None
    assert "07700" in item.text
    assert item.public_text == (
        "Nothing to do round here. Ring me on [phone number removed] or [email removed]"
    )
    assert item.contact.email == "sam@example.org"
    assert "may email me" in item.contact.consent_text
    assert not {c.name for c in FeedbackItem.__table__.columns} & {"ip", "ip_address", "user_agent"}


def test_an_email_without_consent_is_refused_and_nothing_is_kept(client, db_session, themes):
    response = post_form(client, "/have-your-say", {"text": "Hello", "email": "a@example.org"})
    assert response.status_code == 400
    assert "Tick the box to say we may email you" in response.get_data(as_text=True)
    assert _count(db_session, FeedbackItem) == 0 and _count(db_session, Contact) == 0


def test_empty_and_overlong_text_and_robots(client, db_session, themes):
    empty = post_form(client, "/have-your-say", {"text": "   "})
    assert empty.status_code == 400 and "Write what you want to tell us" in empty.get_data(
        as_text=True
    )
    long = post_form(client, "/have-your-say", {"text": "a" * 5001})
    assert long.status_code == 400 and "5,000 characters" in long.get_data(as_text=True)
    robot = post_form(client, "/have-your-say", {"text": "Buy pills", "website": "http://spam"})
    assert robot.status_code == 302  # thanked, but nothing kept
    assert _count(db_session, FeedbackItem) == 0
    huge = client.post("/have-your-say", data={"text": "a" * (11 * 1024 * 1024)})
    assert huge.status_code == 413


def test_html_is_kept_as_text_and_shown_escaped(client, auth, db_session, themes, officer):
    post_form(client, "/have-your-say", {"text": "<script>alert(1)</script> =SUM(A1)"})
    item = db_session.scalar(select(FeedbackItem))
    assert item.text == "<script>alert(1)</script> =SUM(A1)"
    auth.sign_in_as(officer)
    page = client.get("/feedback/moderation").get_data(as_text=True)
    assert (
        "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    )


def test_the_public_form_is_rate_limited(client, app, db_session, themes, monkeypatch):
    monkeypatch.setitem(app.config, "FEEDBACK_RATE_LIMIT", "2 per minute")
    statuses = [
        post_form(client, "/have-your-say", {"text": f"Item {n}"}).status_code for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert _count(db_session, FeedbackItem) == 2


def test_an_ambassadors_disclosure_goes_to_the_safeguarding_lead_only(
    client, auth, db_session, themes, officer, lead
):
    ambassador = create_user(Role.YOUTH_AMBASSADOR)
    auth.sign_in_as(ambassador)
    post_form(client, "/have-your-say/ambassadors", {"text": "My stepdad hits me when he drinks"})
    item = db_session.scalar(select(FeedbackItem))
    assert item.status == "safeguarding" and item.by_ambassador and item.public_text == ""
    case = db_session.scalar(select(SafeguardingCase))
    assert case.item == item and "hits me" in case.reason
    email = db_session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == lead.email))
    assert (
        email is not None and "hits me" not in email.body_text and "stepdad" not in email.body_text
    )
    assert f"/safeguarding/cases/{case.id}" in email.body_text
    client.delete_cookie("session")
    auth.sign_in_as(officer)
    assert "stepdad" not in client.get("/feedback/moderation").get_data(as_text=True)
    assert client.get(f"/feedback/items/{item.id}").status_code == 404


def _session(db_session, **profile) -> ForumSession:
    forum = Forum(name="Corby Community Forum", audience="mixed")
    session = ForumSession(
        forum=forum, held_on=date(2026, 10, 6), prompts=["What causes youth violence?"]
    )
    db_session.add_all([forum, session])
    db_session.commit()
    return session


def test_an_officer_enters_many_items_at_once(client, auth, db_session, themes, officer):
    session = _session(db_session)
    auth.sign_in_as(officer)
    url = f"/feedback/sessions/{session.id}"
    response = post_form(
        client,
        url,
        {
            "rows": "4",
            "items-0-text": "Knife crime is scary, we need talks in schools",
            "items-0-themes": [str(themes["knife-crime"].id)],
            "items-0-young": "yes",
            "items-0-prompt": "What causes youth violence?",
            "items-2-text": "The park is too dark at night",
            "items-3-text": "the park is too dark at night!",
        },
    )
    assert response.status_code == 302
    items = db_session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)).all()
    assert [i.status for i in items] == ["approved"] * 3
    assert items[0].themes == [themes["knife-crime"]] and items[0].young_person is True
    assert (
        items[0].prompt == "What causes youth violence?" and items[0].moderated_by_id == officer.id
    )
    assert items[1].duplicate_group == items[2].duplicate_group is not None
    assert items[0].duplicate_group is None


def test_one_bad_row_saves_nothing_and_is_named(client, auth, db_session, themes, officer):
    session = _session(db_session)
    auth.sign_in_as(officer)
    response = post_form(
        client,
        f"/feedback/sessions/{session.id}",
        {"items-0-text": "Fine", "items-1-text": "", "items-2-text": "x" * 5001},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#items-2-text">Row 3: Keep it to 5,000 characters or fewer' in page
    assert _count(db_session, FeedbackItem) == 0


def _upload(client, url, text: bytes):
    """Upload, then follow the job the upload starts until it has finished: its page."""
    sent = post_form(
        client, url, {"file": (io.BytesIO(text), "items.csv")}, content_type="multipart/form-data"
    )
    assert sent.status_code == 302 and "/jobs/" in sent.headers["Location"]
    wait_for(int(sent.headers["Location"].rsplit("/", 1)[1]))
    return client.get(sent.headers["Location"])


def test_a_sessions_items_come_from_csv_all_or_nothing(
    client, auth, db_session, themes, officer, worker
):
    create_geography()
    session = _session(db_session)
    auth.sign_in_as(officer)
    url = f"/feedback/sessions/{session.id}/import"
    template = client.get("/feedback/items-template.csv").get_data()
    assert template.startswith(b"text,prompt,themes,area,young_person,language")
    bad = _upload(
        client,
        url,
        b"text,themes,area,young_person\n"
        b"Fine,knife-crime,Test LAP,yes\n"
        b",,,\n"
        b"Hello,parks,Atlantis,maybe\n",
    )
    page = bad.get_data(as_text=True)
    assert "The file was not imported" in page
    for expected in (
        "line 3, field “text”",
        "line 4, field “themes”: there is no theme “parks”",
        "line 4, field “area”: there is no area called “Atlantis”",
        "line 4, field “young_person”",
    ):
        assert expected in page
    assert _count(db_session, FeedbackItem) == 0
    assert "not UTF-8" in _upload(client, url, b"text\nCaf\xe9 talk\n").get_data(as_text=True)
    assert "text" in _upload(client, url, b"words\nhello\n").get_data(as_text=True)
    good = _upload(
        client,
        url,
        "\ufefftext,themes,area,young_person,language\n"
        "More lights by the station,lighting,Test LAP,no,en\n"
        "Potrzebujemy więcej klubów młodzieżowych,youth-provision,,yes,pl\n".encode(),
    )
    assert "2 items saved" in good.get_data(as_text=True)
    items = db_session.scalars(select(FeedbackItem).order_by(FeedbackItem.id)).all()
    assert [(i.language, i.area.code if i.area else None) for i in items] == [
        ("en", "T-LAP"),
        ("pl", None),
    ]


def test_a_big_import_shows_its_progress_on_the_command_line(
    runner, db_session, themes, officer, tmp_path
):
    session = _session(db_session)
    rows = "".join(f"Item number {n} about the park\n" for n in range(1500))
    path = tmp_path / "many.csv"
    path.write_text("text\n" + rows)
    result = runner.invoke(args=["feedback", "import", str(session.id), str(path),
                                 "--officer", officer.email])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1500 items imported" in result.output and "Importing" in result.output
    assert _count(db_session, FeedbackItem) == 1500


def test_session_attendance_must_add_up(client, auth, db_session, themes, officer):
    session = _session(db_session)
    auth.sign_in_as(officer)
    url = f"/feedback/sessions/{session.id}/edit"
    data = {
        "held_on": ["6", "10", "2026"],
        "attendees": "10",
        "count__age__16_24": "8",
        "count__age__25_44": "5",
    }
    response = post_form(client, url, data)
    assert response.status_code == 400
    assert "more people than the 10 who came" in response.get_data(as_text=True)
    data["count__age__25_44"] = "2"
    data["count__ethnicity__not_said"] = "10"
    assert post_form(client, url, data).status_code == 302
    assert session.profile == {"age": {"16_24": 8, "25_44": 2}, "ethnicity": {"not_said": 10}}


def test_public_sessions_make_the_have_your_say_calendar(client, db_session, themes):
    forum = Forum(name="Daventry Parents' Forum", audience="adults")
    db_session.add_all(
        [
            ForumSession(forum=forum, held_on=date(2099, 1, 5), place="Library", public=True),
            ForumSession(forum=forum, held_on=date(2099, 1, 6), place="Secret", public=False),
            ForumSession(forum=forum, held_on=date(2020, 1, 6), place="Past", public=True),
        ]
    )
    db_session.commit()
    page = client.get("/have-your-say").get_data(as_text=True)
    assert "Library" in page and "Secret" not in page and "Past" not in page


def test_an_open_question_has_its_own_form(client, auth, db_session, themes, officer):
    auth.sign_in_as(officer)
    post_form(
        client, "/feedback/questions/new", {"title": "Should campaigns show knives?", "open": "y"}
    )
    client.delete_cookie("session")
    question_page = client.get("/have-your-say")
    assert "Should campaigns show knives?" in question_page.get_data(as_text=True)
    post_form(client, "/have-your-say/questions/1", {"text": "No, it scares little kids"})
    item = db_session.scalar(select(FeedbackItem))
    assert item.question.title == "Should campaigns show knives?" and item.status == "pending"


def test_languages_are_told_apart():
    assert logic.guess_language("Nie ma gdzie iść wieczorem, jest bardzo ciemno") == "pl"
    assert logic.guess_language("There is nothing to do and the park is dark") == "en"
    assert logic.guess_language("ok", "pl") == "pl"


def test_the_area_can_be_typed_as_a_place(client, db_session, themes):
    create_geography()
    post_form(client, "/have-your-say", {"text": "Too dark", "place": "test lap"})
    assert db_session.scalar(select(FeedbackItem)).area.code == "T-LAP"
    unknown = post_form(client, "/have-your-say", {"text": "Too dark", "place": "Atlantis"})
    assert unknown.status_code == 400
    assert "We could not find that place" in unknown.get_data(as_text=True)
    assert _count(db_session, FeedbackItem) == 1
