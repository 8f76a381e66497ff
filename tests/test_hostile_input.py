"""Bad input gets a clear answer and loses nothing. As each role, walk the site, find every
form that role can reach, and send each one hostile values (empty, 100,000 characters, NUL
bytes, "²", numbers beyond any column, dates with parts missing, wrong types, files that are
not what they say). No response may be a server error and nothing may be logged as an
unhandled error, on SQLite and (by `make test`) on PostgreSQL."""

import io
import logging
from collections import Counter

import pytest
from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.extensions import limiter
from tests.conftest import AuthActions
from tests.crawling import Crawl, FoundForm, forms_in
from tests.factories import DEFAULT_PASSWORD, _hashed

TEXT_VALUES = [
    "",
    "x" * 100_000,
    "nul\x00byte",
    "²",
    "99999999999999999999999",
    "-2147483649",
    "1e309",
    "2026-02-30",
    "31 2",
    "<script>alert(1)</script>",
    "' OR 1=1; --",
    "../../../etc/passwd",
    "😀\u202e\ufeff",
    "javascript:alert(1)",
    "//evil.example/",
]
FILES = [
    b"",
    b"\x00\xff\xfe\x00 not text at all",
    b"\xef\xbb\xbftext,prompt\n" + b"x" * 200_000 + b",y\n",
    b'{"contents": 5}',
    b"[" * 5000 + b"]" * 5000,
    b'{"id": "' + b"\x00" * 10 + b'"}',
    b"META\nkey;value\nPROJECTS\nproject_id;cost\n1;-99999999999999999999\n",
]
NEVER_SUBMIT = ("/sign-out",)
# WTForms' and Flask-WTF's stock English, which no page may show: every message is our own.
STOCK_MESSAGES = (
    "Not a valid",
    "This field is required",
    "Invalid Choice",
    "is not a valid choice",
    "are not valid choices",
    "Invalid email address",
    "Invalid input.",
    "Invalid URL",
    "Field must be",
    "Field cannot be longer",
    "Number must be",
    "The CSRF token",
    "Choices cannot be None",
)


def _as(app, db_session, role: Role | None):
    client = app.test_client()
    if role is not None:
        user = db_session.scalar(select(User).where(User.role == role.value).order_by(User.id))
        user.password_hash = _hashed(DEFAULT_PASSWORD)
        user.active = True  # an admin's crawl, earlier, may have suspended them
        db_session.commit()
        AuthActions(client).sign_in_as(user, DEFAULT_PASSWORD)
    return client


def _variants(form: FoundForm) -> list[dict]:
    """The form as sent with every field hostile, once per value, plus type confusion."""
    csrf = {f.name: f.value for f in form.fields if f.name == "csrf_token"}
    names = [f for f in form.fields if f.name != "csrf_token" and f.kind != "file"]
    files = [f for f in form.fields if f.kind == "file"]
    sent = []
    for value in TEXT_VALUES:
        sent.append({**csrf, **{f.name: value for f in names}})
    sent.append({**csrf, **{f.name: [TEXT_VALUES[3], TEXT_VALUES[4]] for f in names}})
    sent.append(csrf)  # every field missing
    for content in FILES if files else []:
        data = {**csrf, **{f.name: (f.options[0] if f.options else "") for f in names}}
        data.update({f.name: (io.BytesIO(content), "upload.csv") for f in files})
        sent.append(data)
    return sent


def _submit(client, form: FoundForm, data: dict):
    if form.method == "get":
        return client.get(form.action, query_string=data)
    kind = "multipart/form-data" if form.multipart else None
    return client.post(form.action, data=data, content_type=kind)


@pytest.fixture
def no_limits():
    limiter.enabled = False
    yield
    limiter.enabled = True


def test_no_form_gives_a_server_error_or_a_stock_message_whatever_is_sent(
    app, runner, db_session, caplog, no_limits
):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    caplog.set_level(logging.ERROR)
    failures, pages, tried, seen, stock = [], Counter(), Counter(), set(), set()
    for role in [None, *Role]:
        who = role.value if role else "anonymous"
        client = _as(app, db_session, role)
        found: list[FoundForm] = []

        def collect(visit, found=found, who=who):
            pages[who] += 1
            if visit.status >= 500:
                failures.append(f"{who}: GET {visit.url} -> {visit.status}")
            if "html" in visit.body[:200].lower() or "<form" in visit.body:
                found.extend(forms_in(visit.url, visit.body))

        crawl = Crawl(app, client, per_endpoint=1)
        crawl.run(["/", "/dashboard"], collect)
        for form in found:
            kind = (form.method, crawl.endpoint_of(form.action), form.signature[2])
            if kind in seen or form.action.startswith(NEVER_SUBMIT):
                continue
            seen.add(kind)
            for data in _variants(form):
                response = _submit(client, form, data)
                tried[who] += 1
                if response.status_code >= 500:
                    failures.append(f"{who}: {form.method} {form.action} -> {response.status_code}")
                body = response.get_data(as_text=True)
                stock.update(
                    f"{form.method} {form.action}: {m}" for m in STOCK_MESSAGES if m in body
                )
    unhandled = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    print(f"\npages walked per role: {dict(pages)}")
    print(f"hostile submissions per role: {dict(tried)}; distinct forms: {len(seen)}")
    assert failures == [], failures
    assert unhandled == [], unhandled
    assert sorted(stock) == [], sorted(stock)
    assert len(seen) > 40 and sum(tried.values()) > 500  # the walk really found the forms


@pytest.mark.parametrize(
    "url",
    [
        "/audit?before=99999999999999999999999",
        "/audit?before=-5&before=x",
        "/feedback/analysis?theme=99999999999999999999&start=2026-13-45",
        "/feedback/sessions/99999999999999999999",
        "/feedback/items/99999999999999999999",
        "/you-said-we-did?area=%00&q=%00",
        "/responses/1?theme=1e309&q=" + "x" * 5000,
        "/safeguarding/cases/99999999999999999999",
        "/safeguarding/requests/0",
    ],
)
def test_hostile_query_strings_and_ids_are_answered(app, db_session, url):
    for role in (Role.ADMIN, Role.ENGAGEMENT_OFFICER, Role.SAFEGUARDING_LEAD):
        from tests.factories import create_user

        client = app.test_client()
        AuthActions(client).sign_in_as(create_user(role))
        assert client.get(url).status_code < 500
