"""The Atom feed is valid Atom for any filters and any text: parsed by a real feed parser
(feedparser, which reports any XML error as `bozo`) and by a strict XML parser, with stable
entry ids and absolute links."""

from datetime import date
from xml.etree import ElementTree

import feedparser
import pytest

from engage.accounts.roles import Role
from engage.feedback import logic as feedback
from engage.you_said_we_did import logic
from tests.factories import create_user

HOSTILE_TITLES = [
    "Lights & cameras <script>alert(1)</script>",
    "]]> <!-- not a comment --> &amp; &nbsp; &#0;",
    "Zażółć gęślą jaźń — “quotes” ² 😀",
    "Tab\tand\u000bvertical tab and \u0001 control",
]


@pytest.fixture
def published(db_session, themes):
    author, reviewer = create_user(Role.ENGAGEMENT_OFFICER), create_user(Role.ENGAGEMENT_OFFICER)
    responses = []
    for n, title in enumerate(HOSTILE_TITLES):
        item = feedback.submit_online(
            feedback.NewItem(text=f"Said {n}", source="online", received_on=date(2026, 11, 1)),
            consent=False,
        )
        item.status = "approved"
        response = logic.save_draft(author, None, {
            "title": "x", "you_said": "y", "we_did": "z", "status": "done",
            "partners": ["police" if n % 2 else "council"],
            "theme_ids": [themes["lighting"].id],
        })  # fmt: skip
        response.title = title  # as stored by any path, even one that skipped the form
        response.you_said = f"{title} <b>bold</b> & more"
        logic.link_items(author, response, [item.id])
        logic.submit_for_review(author, response)
        responses.append(logic.approve(reviewer, response))
    return responses


@pytest.mark.parametrize(
    "query",
    ["", "partner=police", "q=%3C%26%3E&status=done", "theme=1&area=&partner=council&q=a%26b"],
)
def test_the_feed_is_valid_atom_for_any_filters_and_text(client, published, query):
    response = client.get(f"/you-said-we-did.atom?{query}")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    ElementTree.fromstring(response.get_data())  # strict XML: raises on any error
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.links[0].href.startswith("http://localhost/you-said-we-did.atom")
    for entry in parsed.entries:
        assert entry.id.startswith("tag:localhost,") and entry.link.startswith("http://")
    expected = len(published) if "partner" not in query else len(published) // 2
    if "q=" not in query:
        assert len(parsed.entries) == expected


def test_entry_ids_do_not_change_when_a_response_is_updated(client, published):
    first = feedparser.parse(client.get("/you-said-we-did.atom").get_data())
    author, reviewer = create_user(Role.ENGAGEMENT_OFFICER), create_user(Role.ENGAGEMENT_OFFICER)
    revision = logic.add_update(author, published[0], "More lights", 90, None)
    logic.submit_for_review(author, revision)
    logic.approve(reviewer, revision)
    second = feedparser.parse(client.get("/you-said-we-did.atom").get_data())
    assert {e.id for e in first.entries} == {e.id for e in second.entries}
    assert second.entries[0].id == first.entries[-1].id  # the updated one comes first now


def test_a_filter_that_is_not_on_the_list_is_refused(client, published):
    assert client.get("/you-said-we-did.atom?theme=banana").status_code == 400
    assert client.get("/you-said-we-did.atom?partner=mi5").status_code == 400
