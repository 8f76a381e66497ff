"""Every endpoint is public by the allow-list or guarded by role_required; each role gets the
status it should on every page."""

import pytest

from engage.accounts.permissions import PUBLIC_ENDPOINTS
from engage.accounts.roles import ALL_ROLES, Role
from engage.extensions import db
from tests.factories import create_user

OFFICER, ADMIN, PROVIDER = Role.ENGAGEMENT_OFFICER, Role.ADMIN, Role.VCSE_PROVIDER
LEAD, AMBASSADOR = Role.SAFEGUARDING_LEAD, Role.YOUTH_AMBASSADOR
BOARD = Role.BOARD_MEMBER

# GET pages that need a role: endpoint URL → roles that may see it.
GUARDED_PAGES = {
    "/dashboard": set(ALL_ROLES),
    "/account/password": set(ALL_ROLES),
    "/invitations": {OFFICER, ADMIN},
    "/invitations/new": {OFFICER, ADMIN},
    "/people": {ADMIN},
    "/asset-map/manage": {OFFICER, ADMIN},
    "/asset-map/manage/stale": {OFFICER, ADMIN},
    "/asset-map/manage/problems": {OFFICER, ADMIN},
    "/asset-map/manage/changes": {OFFICER, ADMIN},
    "/asset-map/manage/claims": {OFFICER, ADMIN},
    "/asset-map/manage/import": {OFFICER, ADMIN},
    "/asset-map/manage/template.csv": {OFFICER, ADMIN},
    "/asset-map/manage/export.csv": {OFFICER, ADMIN},
    "/asset-map/manage/export.json": {OFFICER, ADMIN},
    "/asset-map/manage/gaps": {OFFICER, ADMIN},
    "/asset-map/manage/gaps.csv": {OFFICER, ADMIN},
    "/asset-map/manage/services/new": {OFFICER, ADMIN},
    "/asset-map/manage/terms": {OFFICER, ADMIN},
    "/asset-map/manage/feeds": {OFFICER, ADMIN},
    "/asset-map/manage/duplicates": {OFFICER, ADMIN},
    "/my-organisations": {PROVIDER},
    "/my-organisations/claim": {PROVIDER},
    "/participatory-budgeting/new": {OFFICER, ADMIN},
    "/participatory-budgeting/import": {OFFICER, ADMIN},
    "/participatory-budgeting/ambassadors": {OFFICER, ADMIN},
    "/have-your-say/ambassadors": {AMBASSADOR},
    "/feedback": {OFFICER, ADMIN},
    "/feedback/forums/new": {OFFICER, ADMIN},
    "/feedback/items-template.csv": {OFFICER, ADMIN},
    "/feedback/moderation": {OFFICER, ADMIN},
    "/feedback/analysis": {OFFICER, ADMIN},
    "/feedback/analysis.csv": {OFFICER, ADMIN},
    "/feedback/reach": {OFFICER, ADMIN},
    "/feedback/questions": {OFFICER, ADMIN},
    "/feedback/questions/new": {OFFICER, ADMIN},
    "/feedback/privacy": {OFFICER, ADMIN},
    "/safeguarding": {LEAD},
    "/safeguarding/requests": {LEAD},
    "/safeguarding/audit": {LEAD},
    "/audit": {ADMIN},
    "/responses": {OFFICER, ADMIN},
    "/responses/new": {OFFICER, ADMIN},
    "/responses/accountability": {OFFICER, ADMIN},
    "/responses/drafts": {OFFICER, ADMIN},
    "/have-your-say/drafts": {AMBASSADOR},
    "/safeguarding/indicators": {LEAD},
    "/reports": {BOARD, OFFICER, ADMIN},
    "/reports/report.csv": {BOARD, OFFICER, ADMIN},
    "/reports/listening": {BOARD, OFFICER, ADMIN},
    "/monitoring": {OFFICER, ADMIN},
    "/my-projects": {PROVIDER},
}
# Guarded pages with an id in the URL: checked against one real record each.
GUARDED_RECORD_PAGES = {
    "/services/{service}/edit": {OFFICER, ADMIN},
    "/services/{service}/history": {OFFICER, ADMIN},
    "/participatory-budgeting/{round}/manage": {OFFICER, ADMIN},
    "/participatory-budgeting/{round}/bids/new": {PROVIDER},
    "/participatory-budgeting/{round}/vote": {Role.YOUTH_AMBASSADOR},  # on to the one pot
    "/participatory-budgeting/{round}/pots/{pot}/vote": {Role.YOUTH_AMBASSADOR},
    "/participatory-budgeting/{round}/review": set(),  # only appointed reviewers
    "/participatory-budgeting/{round}/pots/{pot}/paper-ballots": {OFFICER, ADMIN},
    "/participatory-budgeting/ambassadors/{ambassador}": {OFFICER, ADMIN},
    "/feedback/forums/{forum}": {OFFICER, ADMIN},
    "/feedback/forums/{forum}/edit": {OFFICER, ADMIN},
    "/feedback/forums/{forum}/sessions/new": {OFFICER, ADMIN},
    "/feedback/sessions/{session}": {OFFICER, ADMIN},
    "/feedback/sessions/{session}/edit": {OFFICER, ADMIN},
    "/feedback/sessions/{session}/import": {OFFICER, ADMIN},
    "/feedback/items/{item}": {OFFICER, ADMIN},
    "/feedback/themes/{theme}": {OFFICER, ADMIN},
    "/feedback/questions/{question}/edit": {OFFICER, ADMIN},
    "/safeguarding/cases/{case}": {LEAD},
    "/responses/{response}": {OFFICER, ADMIN},
    "/responses/{response}/edit": {OFFICER, ADMIN},
    "/responses/drafts/{consultation}": {OFFICER, ADMIN},
    "/monitoring/returns/{monitoring_return}": {OFFICER, ADMIN},
    "/monitoring/projects/{project}/target": {OFFICER, ADMIN},
}
PUBLIC_PAGES = [
    "/",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/sign-in",
    "/password-reset",
    "/find-support",
    "/find-support/results.json",
    "/api/v1/",
    "/api/v1/services",
    "/api/v1/taxonomy_terms",
    "/api/v1/openapi.json",
    "/embed/find-support",
    "/participatory-budgeting",
    "/have-your-say",
    "/have-your-say/thank-you",
    "/you-said-we-did",
    "/you-said-we-did.atom",
    "/you-said-we-did/accountability",
]


def test_every_endpoint_is_public_or_guarded(app):
    unguarded = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS
        and not hasattr(app.view_functions[rule.endpoint], "allowed_roles")
    ]
    assert unguarded == []


def test_the_allow_list_names_only_real_endpoints(app):
    assert set(app.view_functions) >= PUBLIC_ENDPOINTS


def test_every_guarded_page_is_in_the_status_table(app):
    guarded_get_rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in PUBLIC_ENDPOINTS and not rule.arguments
    }
    assert guarded_get_rules == set(GUARDED_PAGES)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_answer_everyone(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", sorted(GUARDED_PAGES))
def test_anonymous_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("role", ALL_ROLES, ids=str)
@pytest.mark.parametrize("url", sorted(GUARDED_PAGES))
def test_each_role_gets_the_expected_status(client, auth, url, role):
    auth.sign_in_as(create_user(role=role))
    expected = 200 if role in GUARDED_PAGES[url] else 403
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("role", ALL_ROLES, ids=str)
@pytest.mark.parametrize("pattern", sorted(GUARDED_RECORD_PAGES))
def test_each_role_gets_the_expected_status_on_record_pages(client, auth, pattern, role):
    from engage.budgeting.models import Pot, Round
    from tests.factories import create_service

    funding_round = Round(title="Fund", pot=1000, max_bid=500, phase="voting")
    funding_round.pots = [Pot(name="", amount=1000)]
    db.session.add(funding_round)
    db.session.commit()
    url = pattern.format(
        service=create_service("Club").id,
        round=funding_round.id,
        pot=funding_round.pots[0].id,
        ambassador=create_user(role=Role.YOUTH_AMBASSADOR).id,
        **_feedback_records(),
        **_monitoring_records(),
    )
    auth.sign_in_as(create_user(role=role))
    allowed = 302 if pattern.endswith("{round}/vote") else 200
    expected = allowed if role in GUARDED_RECORD_PAGES[pattern] else 403
    assert client.get(url).status_code == expected


def _monitoring_records() -> dict[str, object]:
    """A funded project of a published round, with one return."""
    from tests.factories import create_funded_project, create_return

    project = create_funded_project()
    return {"project": project.id, "monitoring_return": create_return(project).id}


def _feedback_records() -> dict[str, object]:
    """One of each feedback record, for the record pages."""
    from datetime import date

    from engage.feedback.models import (
        FeedbackItem,
        Forum,
        ForumSession,
        OpenQuestion,
        SafeguardingCase,
        Theme,
    )

    forum = Forum(name="Forum", audience="mixed")
    session = ForumSession(forum=forum, held_on=date(2026, 10, 1))
    item = FeedbackItem(text="Hi", public_text="Hi", source="online", received_on=date.today())
    hidden = FeedbackItem(
        text="x", source="online", received_on=date.today(), status="safeguarding"
    )
    theme = Theme(slug="parks", name="Parks")
    question = OpenQuestion(title="Why?")
    case = SafeguardingCase(item=hidden, reason="test")
    from engage.you_said_we_did.models import Consultation, Response

    author = create_user(role=OFFICER)
    response = Response(title="Lights", you_said="Dark", created_by_id=author.id)
    consultation = Consultation(
        title="Poster", draft="D", option_a="A", option_b="B", created_by_id=author.id
    )
    db.session.add_all(
        [forum, session, item, hidden, theme, question, case, response, consultation]
    )
    db.session.commit()
    return {
        "forum": forum.id,
        "session": session.id,
        "item": item.id,
        "theme": theme.slug,
        "question": question.id,
        "case": case.id,
        "response": response.id,
        "consultation": consultation.id,
    }
