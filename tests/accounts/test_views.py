"""What people see when they sign in, out, accept invitations and reset passwords."""

import re

from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.notifications.models import OutboxMessage
from tests.conftest import csrf_token, post_form
from tests.factories import DEFAULT_PASSWORD, create_user

WRONG = "Enter a correct email address and password"


def test_should_sign_in_and_land_on_the_dashboard(client, auth):
    user = create_user(Role.ENGAGEMENT_OFFICER, display_name="Priya")
    response = auth.sign_in(user.email, DEFAULT_PASSWORD)
    assert response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Priya" in page
    assert "Invite someone" in page


def test_should_give_the_same_answer_for_unknown_email_and_wrong_password(client, auth):
    user = create_user()
    wrong_password = auth.sign_in(user.email, "not the password").get_data(as_text=True)
    unknown_email = auth.sign_in("nobody@example.org", DEFAULT_PASSWORD).get_data(as_text=True)
    assert WRONG in wrong_password and WRONG in unknown_email
    assert "govuk-error-summary" in wrong_password


def test_should_show_error_summary_for_an_empty_form(client):
    response = post_form(client, "/sign-in", {"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#email">Enter an email address' in page
    assert 'href="#password">Enter your password' in page
    assert "<title>Error:" in page


def test_should_follow_only_local_next_links(client, auth):
    user = create_user()
    response = post_form(
        client,
        "/sign-in?next=https://evil.example/",
        {"email": user.email, "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/dashboard"


def test_should_rate_limit_sign_in_attempts(client, auth, app):
    user = create_user()
    statuses = [auth.sign_in(user.email, "wrong password!").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "Too many attempts" in auth.sign_in(user.email, "x").get_data(as_text=True)


def test_should_refuse_a_form_without_its_csrf_token(client):
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


def test_signing_out_ends_the_session_even_for_a_copied_cookie(client, auth):
    auth.sign_in_as(create_user())
    stolen = client.get_cookie("session").value
    response = client.post("/sign-out", data={"csrf_token": _token_from(client, "/dashboard")})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302
    client.set_cookie("session", stolen)
    assert client.get("/dashboard").status_code == 302


def _token_from(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_should_invite_someone_who_then_creates_an_account(client, auth, app, db_session):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    response = post_form(
        client,
        "/invitations/new",
        {
            "display_name": "Jay",
            "email": "jay@example.org",
            "role": "youth_ambassador",
            "age_band": "16_17",
            "locale": "en_GB",
        },
    )
    assert response.headers["Location"] == "/invitations"
    assert "jay@example.org" in client.get("/invitations").get_data(as_text=True)

    client.post("/sign-out", data={"csrf_token": _token_from(client, "/dashboard")})
    link = db_session.scalar(select(OutboxMessage)).body_text
    path = re.search(r"http://localhost(/invitations/\S+)", link).group(1)
    assert "youth ambassador" in client.get(path).get_data(as_text=True).lower()
    response = post_form(client, path, {"password": "purple otter lantern"})
    assert response.headers["Location"] == "/dashboard"
    assert "Hello, Jay" in client.get("/dashboard").get_data(as_text=True)
    assert (
        db_session.scalar(select(User).where(User.email == "jay@example.org")).age_band == "16_17"
    )

    client.post("/sign-out", data={"csrf_token": _token_from(client, "/dashboard")})
    reused = client.get(path)
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)


def test_officer_form_offers_only_community_roles(client, auth):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    page = client.get("/invitations/new").get_data(as_text=True)
    assert 'value="youth_ambassador"' in page
    assert 'value="admin"' not in page
    response = post_form(
        client,
        "/invitations/new",
        {"display_name": "X", "email": "x@example.org", "role": "admin", "locale": "en_GB"},
    )
    assert response.status_code == 200
    assert "Choose from the list" in response.get_data(as_text=True)
    assert "Not a valid choice" not in response.get_data(as_text=True)


def test_should_reset_a_forgotten_password_by_email(client, db_session):
    user = create_user(email="sam@example.org")
    page = post_form(client, "/password-reset", {"email": "sam@example.org"})
    assert "Check your email" in page.get_data(as_text=True)
    unknown = post_form(client, "/password-reset", {"email": "nobody@example.org"})
    assert "Check your email" in unknown.get_data(as_text=True)
    messages = list(db_session.scalars(select(OutboxMessage)))
    assert [m.to_address for m in messages] == ["sam@example.org"]
    path = re.search(r"http://localhost(/password-reset/\S+)", messages[0].body_text).group(1)
    response = post_form(client, path, {"password": "purple otter lantern"})
    assert response.headers["Location"] == "/sign-in"
    assert client.get(path).status_code == 400
    assert user.password_hash is not None


def test_changing_password_keeps_this_session_and_ends_others(app, client, auth):
    user = create_user()
    other = app.test_client()
    auth.sign_in_as(user)
    post_form(other, "/sign-in", {"email": user.email, "password": DEFAULT_PASSWORD})
    response = post_form(
        client,
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "password": "purple otter lantern"},
    )
    assert response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302


def test_admin_can_suspend_someone_which_signs_them_out(app, client, auth):
    person = create_user()
    other = app.test_client()
    post_form(other, "/sign-in", {"email": person.email, "password": DEFAULT_PASSWORD})
    auth.sign_in_as(create_user(Role.ADMIN))
    token = _token_from(client, "/people")
    response = client.post(f"/people/{person.id}/suspend", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Suspended" in client.get("/people").get_data(as_text=True)
    assert other.get("/dashboard").status_code == 302


def test_non_admins_cannot_suspend_people(client, auth):
    person = create_user()
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    token = _token_from(client, "/dashboard")
    assert (
        client.post(f"/people/{person.id}/suspend", data={"csrf_token": token}).status_code == 403
    )


def test_the_csrf_token_changes_at_sign_in(client, db_session):
    user = create_user(email="sam@example.org")
    before = csrf_token(client, "/sign-in")
    client.post("/sign-in", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                  "csrf_token": before})  # fmt: skip
    after = csrf_token(client, "/account/password")
    assert after != before
    stale = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "password": "x" * 20, "csrf_token": before},
    )
    assert stale.status_code == 400  # the token seen before signing in is refused


def test_an_admin_appoints_a_safeguarding_lead_but_cannot_read_cases(app, client, auth):
    from engage.audit.models import AuditEntry
    from engage.extensions import db

    admin = create_user(Role.ADMIN)
    person = create_user(Role.ENGAGEMENT_OFFICER)
    auth.sign_in_as(admin)
    assert client.get("/safeguarding").status_code == 403
    page = f"/people/{person.id}/role"
    token = csrf_token(client, page)
    bad = client.post(page, data={"role": "overlord", "csrf_token": token})
    assert bad.status_code == 400
    client.post(page, data={"role": "safeguarding_lead", "csrf_token": token})
    db.session.refresh(person)
    assert person.role == "safeguarding_lead"
    entry = db.session.query(AuditEntry).filter_by(action="account.role_changed").one()
    assert entry.detail == {"before": "engagement_officer", "after": "safeguarding_lead"}
    own = client.post(f"/people/{admin.id}/role", data={"role": "resident", "csrf_token": token})
    assert own.status_code == 400 and admin.role == "admin"


def test_the_list_of_people_is_paged(client, auth, db_session):
    from engage.accounts.logic import PEOPLE_PAGE_SIZE

    admin = create_user(Role.ADMIN, display_name="Aaa admin")
    for n in range(PEOPLE_PAGE_SIZE + 3):
        create_user(display_name=f"Resident {n:03d}")
    auth.sign_in_as(admin)
    first = client.get("/people").get_data(as_text=True)
    assert "Resident 000" in first and "?page=2" in first
    assert f"Resident {PEOPLE_PAGE_SIZE + 2:03d}" not in first
    second = client.get("/people?page=2").get_data(as_text=True)
    assert f"Resident {PEOPLE_PAGE_SIZE + 2:03d}" in second and "Resident 000<" not in second
    assert "Resident 000" in client.get("/people?page=x").get_data(as_text=True)
