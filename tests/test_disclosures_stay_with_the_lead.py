"""The promise to a child who discloses harm: what they wrote reaches the safeguarding lead and
no one else. Disclosures are planted through the public forms, then every page, download,
feed and API response that anyone else can reach is read, as every role and as an anonymous
visitor; the text must appear nowhere. As the lead it must appear, so the test can fail."""

import json

from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.feedback.models import FeedbackItem, ItemStatus, PrivacyRequest, SafeguardingCase
from engage.you_said_we_did.models import Response, Stage
from tests.conftest import AuthActions, csrf_token, post_form
from tests.crawling import Crawl
from tests.factories import DEFAULT_PASSWORD

# Each secret is unique text that only the planted disclosures contain.
PUBLIC = "Quokkaberry8731 my stepdad hits me when he is drunk"
AMBASSADOR = "Wombatfig5521 the older boys make me carry a knife"
COMMENT = "Kiwiplum3390 I want to die"
SECRETS = ("Quokkaberry8731", "Wombatfig5521", "Kiwiplum3390")
PLANTED_EMAIL = "planted.child@example.org"


def _demo_user(db_session, role: Role) -> User:
    return db_session.scalar(select(User).where(User.role == role.value).order_by(User.id))


def _signed_in(app, db_session, role: Role):
    client = app.test_client()
    user = _demo_user(db_session, role)
    user.password_hash = _password_hash()
    db_session.commit()
    AuthActions(client).sign_in_as(user, DEFAULT_PASSWORD)
    return client


def _password_hash() -> str:
    from tests.factories import _hashed

    return _hashed(DEFAULT_PASSWORD)


def _plant(app, db_session) -> None:
    public = app.test_client()
    post_form(public, "/have-your-say", {
        "text": PUBLIC, "email": PLANTED_EMAIL, "consent": "y", "area": "", "place": "",
    })  # fmt: skip
    ambassador = _signed_in(app, db_session, Role.YOUTH_AMBASSADOR)
    post_form(ambassador, "/have-your-say/ambassadors", {"text": AMBASSADOR, "area": ""})
    response = db_session.scalar(select(Response).where(Response.stage == Stage.PUBLISHED))
    post_form(public, f"/you-said-we-did/{response.id}", {"answer": "no", "comment": COMMENT})
    held = db_session.scalars(
        select(FeedbackItem).where(FeedbackItem.status == ItemStatus.SAFEGUARDING)
    ).all()
    assert sum(any(s in i.text for s in SECRETS) for i in held) == 3, "not all were planted"


def _officer_handles_a_request(app, db_session) -> list[str]:
    """An officer answers the planted child's subject-access request: the bodies they got."""
    officer = _signed_in(app, db_session, Role.ENGAGEMENT_OFFICER)
    found = post_form(officer, "/feedback/privacy", {"email": PLANTED_EMAIL})
    token = csrf_token(officer, "/feedback/privacy")
    download = officer.post(
        "/feedback/privacy/export.json", data={"email": PLANTED_EMAIL, "csrf_token": token}
    )
    assert json.loads(download.get_data(as_text=True))["items_passed_to_safeguarding_lead"] == 1
    return [found.get_data(as_text=True), download.get_data(as_text=True)]


def _favourites(db_session) -> dict[str, list]:
    """The ids an attacker would try first: the planted items, their cases, the request."""
    planted = [
        i.id for i in db_session.scalars(select(FeedbackItem))
        if any(s in i.text for s in SECRETS)
    ]  # fmt: skip
    cases = db_session.scalars(
        select(SafeguardingCase.id).where(SafeguardingCase.item_id.in_(planted))
    ).all()
    return {
        "item_id": planted,
        "case_id": list(cases),
        "request_id": list(db_session.scalars(select(PrivacyRequest.id))),
    }


def _leaks(visit) -> list[str]:
    return [f"{visit.url} ({visit.status}) shows {s}" for s in SECRETS if s in visit.body]


def test_a_disclosure_reaches_the_lead_and_no_one_else(app, runner, db_session):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    _plant(app, db_session)
    leaks = [
        f"privacy request page shows {s}"
        for body in _officer_handles_a_request(app, db_session)
        for s in SECRETS
        if s in body
    ]
    favourites = _favourites(db_session)
    clients = {"anonymous": app.test_client()}
    for role in Role:
        if role is not Role.SAFEGUARDING_LEAD:
            clients[role.value] = _signed_in(app, db_session, role)
    pages = {}
    for who, client in clients.items():
        crawl = Crawl(app, client, per_endpoint=2, favourites=favourites)
        visits = crawl.run(["/", "/dashboard"], lambda visit: leaks.extend(_leaks(visit)))
        pages[who] = len(visits)
        assert not [v for v in visits if v.status >= 500], f"server errors as {who}"
    print(f"\npages read per role: {pages}")
    assert leaks == []
    assert min(pages.values()) > 50, pages  # every role really walked the site

    lead = _signed_in(app, db_session, Role.SAFEGUARDING_LEAD)
    seen = "".join(
        lead.get(f"/safeguarding/cases/{case_id}").get_data(as_text=True)
        for case_id in favourites["case_id"]
    )
    seen += lead.get(f"/safeguarding/requests/{favourites['request_id'][0]}").get_data(as_text=True)
    assert all(secret in seen for secret in SECRETS)
