"""Responses in words people would write: a Polish version for Polish readers (the English
marked as English when there is none), counts through plural forms, "from young people"
counting the items said by young people, and the author seeing only buttons they may use."""

from datetime import date

from engage.feedback import logic as feedback
from engage.you_said_we_did import logic
from tests.conftest import signed_in

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}


def _said(text, young=None):
    item = feedback.submit_online(
        feedback.NewItem(text=text, source="online", received_on=date(2026, 11, 1),
                         young_person=young),
        consent=False,
    )  # fmt: skip
    item.status = "approved"
    return item


def _published(officers, items, **values):
    author, reviewer = officers
    base = {"title": "Lights in the underpass", "you_said": "It is too dark",
            "we_did": "The council fixed six lights", "status": "done",
            "partners": ["council", "police"]}  # fmt: skip
    response = logic.save_draft(author, None, {**base, **values})
    logic.link_items(author, response, [i.id for i in items])
    logic.submit_for_review(author, response)
    return logic.approve(reviewer, response)


def test_polish_readers_see_the_polish_version_when_there_is_one(client, db_session, officers):
    response = _published(
        officers, [_said("Too dark")],
        title_pl="Światło w przejściu podziemnym", you_said_pl="Jest za ciemno",
    )  # fmt: skip
    page = client.get(f"/you-said-we-did/{response.id}", headers=POLISH).get_data(as_text=True)
    assert "Światło w przejściu podziemnym" in page and "Jest za ciemno" in page
    assert "Lights in the underpass" not in page
    # "we did" has no Polish version: shown in English, marked, in an English voice
    assert '<p class="govuk-body" lang="en">The council fixed six lights <span' in page
    assert "(po angielsku)" in page
    english = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "Lights in the underpass" in english and "Światło" not in english
    assert "(in English)" not in english and 'lang="en"' not in english.split("<body", 1)[1]


def test_the_board_shows_polish_titles_and_filters_by_partner_rows(client, db_session, officers):
    council = _published(officers, [_said("Too dark")], title_pl="Światło")
    _published(officers, [_said("Too loud")], title="Noise", partners=["nhs"])
    assert council.partner_list == ["council", "police"]
    page = client.get("/you-said-we-did?partner=police", headers=POLISH).get_data(as_text=True)
    assert "Światło" in page and "Noise" not in page


def test_from_young_people_counts_the_items_marked_as_said_by_young_people(
    client, db_session, officers
):
    items = [_said("Too dark", young=True), _said("Scary"), _said("Dark", young=None)]
    response = _published(officers, items)
    assert logic.summary(response).young == 1
    page = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "From 3 comments; 1 of them said by a young person." in page
    assert "100%" not in page


def test_one_of_anything_is_not_written_as_many(client, db_session, officers):
    response = _published(officers, [_said("Too dark", young=True)])
    page = client.get(f"/you-said-we-did/{response.id}").get_data(as_text=True)
    assert "From 1 comment; 1 of them said by a young person." in page
    polish = client.get(f"/you-said-we-did/{response.id}", headers=POLISH).get_data(as_text=True)
    assert "Na podstawie 1 opinii; 1 z nich od młodej osoby." in polish


def test_the_author_of_a_draft_sees_no_button_they_cannot_use(app, db_session, officers):
    author, _ = officers
    draft = logic.save_draft(
        author, None, {"title": "Benches", "you_said": "Nowhere to sit", "status": "planned"}
    )
    page = signed_in(app, author).get(f"/responses/{draft.id}").get_data(as_text=True)
    assert "Send for approval" not in page and "Approve and publish" not in page
    assert "Not ready to send for approval: link at least one piece of feedback first." in page
    logic.link_items(author, draft, [_said("No benches").id])
    logic.save_draft(author, draft, {"title": "Benches", "you_said": "Nowhere to sit",
                                     "we_did": "Six benches", "status": "planned"})  # fmt: skip
    page = signed_in(app, author).get(f"/responses/{draft.id}").get_data(as_text=True)
    assert "Send for approval" in page and "Not ready" not in page
    logic.submit_for_review(author, draft)
    page = signed_in(app, author).get(f"/responses/{draft.id}").get_data(as_text=True)
    assert "Approve and publish" not in page


def test_the_board_and_the_officers_list_are_paged(app, client, db_session, officers):
    from engage.you_said_we_did.logic.board import PAGE_SIZE

    item = _said("Too dark")
    for n in range(PAGE_SIZE + 1):
        _published(officers, [item], title=f"Response number {n}")
    first = client.get("/you-said-we-did").get_data(as_text=True)
    assert "Response number 20<" in first and "Response number 0<" not in first
    assert "page=2" in first
    second = client.get("/you-said-we-did?page=2").get_data(as_text=True)
    assert "Response number 0<" in second and "Response number 20<" not in second
    officer = signed_in(app, officers[0])
    assert "Response number 0<" in officer.get("/responses?page=2").get_data(as_text=True)
    assert client.get("/you-said-we-did?page=x").status_code == 400
