"""Hostile values on every asset map form and the open API: empty, 100,000 characters, NUL
bytes, `²`, integers beyond any column, dates with parts missing, wrong types. A form shows
the GOV.UK error summary (or takes a value that is harmless), the API a 400 problem, an
unknown id a 404; never a 500, on SQLite or PostgreSQL."""

import io
from urllib.parse import quote

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.asset_map import exchange
from engage.asset_map.models import OrganisationMember, ProblemReport, Service, TaxonomyTerm
from tests.asset_map.oruk import example
from tests.conftest import csrf_token, post_form
from tests.factories import create_geography, create_service, create_user
from tests.workers import wait_for

HOSTILE = ["", "x" * 100_000, "a\x00b", "²", str(10**30), "-1", "2026-02-", "[]", "ü" * 300]
SERVICE_FIELDS = {
    "name": "Club",
    "description": "About",
    "categories": "youth-activities",
    "status": "active",
    "access": "self_referral",
    "prevention_level": "primary",
    "free": "y",
    "languages": "en",
}


@pytest.fixture
def listing(db_session):
    create_geography()
    return create_service("Rothwell Youth Club")


def _settled(response) -> None:
    """A page the person can act on: never a server error, and a refusal says why."""
    assert response.status_code < 500
    if response.status_code == 400 and response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        # The form's error summary, or (for a NUL, refused before any view) the error page.
        assert "govuk-error-summary" in page or "Remove the invisible control" in page


@pytest.mark.parametrize("field", ["kind", "details"])
def test_report_a_problem(client, listing, field):
    for value in HOSTILE:
        data = {"kind": "closed", "details": "It closed", field: value}
        response = post_form(client, f"/services/{listing.id}/report-a-problem", data)
        _settled(response)
        if value == "a\x00b":
            assert response.status_code == 400


@pytest.mark.parametrize(
    "field",
    [
        "name",
        "minimum_age",
        "maximum_age",
        "categories",
        "status",
        "url",
        "email",
        "phone",
        "opening_times",
        "languages",
        "cost_description",
        "prevention_level",
    ],
)
def test_officer_edits_a_listing(client, auth, listing, field):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    for value in HOSTILE:
        data = {**SERVICE_FIELDS, field: value}
        _settled(post_form(client, f"/services/{listing.id}/edit", data))


@pytest.mark.parametrize(
    "field", ["organisation_name", "latitude", "longitude", "postcode", "address", "city"]
)
def test_officer_adds_a_listing(client, auth, listing, field):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    data = {**SERVICE_FIELDS, "organisation_name": "Org", "latitude": "52.42", "longitude": "-0.8"}
    for value in [*HOSTILE, "nan", "1e400", "inf"]:
        _settled(post_form(client, "/asset-map/manage/services/new", {**data, field: value}))


def test_officer_queues(client, auth, listing, db_session):
    officer = create_user(Role.ENGAGEMENT_OFFICER)
    report = ProblemReport(service=listing, kind="closed")
    db_session.add(report)
    db_session.commit()
    auth.sign_in_as(officer)
    token = csrf_token(client, "/asset-map/manage/problems")
    bad = [{"outcome": v, "note": "done"} for v in HOSTILE if v != "resolved"]
    for data in [*bad, *({"outcome": "dismissed", "note": v} for v in HOSTILE)]:
        response = client.post(
            f"/asset-map/manage/problems/{report.id}/resolve", data={**data, "csrf_token": token}
        )
        _settled(response)
    _settled(client.post("/asset-map/manage/problems/999999/resolve", data={"csrf_token": token}))


def test_confirming_a_listing_goes_back_only_to_this_site(client, auth, listing, db_session):
    provider = create_user(Role.VCSE_PROVIDER)
    db_session.add(
        OrganisationMember(organisation=listing.organisation, user=provider, status="approved")
    )
    db_session.commit()
    auth.sign_in_as(provider)
    token = csrf_token(client, "/my-organisations")
    for target in (*HOSTILE, "https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(
            f"/services/{listing.id}/confirm", data={"csrf_token": token, "next": target}
        )
        if "\x00" in target:
            assert response.status_code == 400  # refused before any view
            continue
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/"), target
        assert not response.headers["Location"].startswith("//"), target


@pytest.mark.parametrize("field", ["organisation", "reason"])
def test_provider_claims_an_organisation(client, auth, listing, field):
    auth.sign_in_as(create_user(Role.VCSE_PROVIDER))
    for value in HOSTILE:
        data = {"organisation": str(listing.organisation.id), "reason": "Youth lead", field: value}
        _settled(post_form(client, "/my-organisations/claim", data))


@pytest.mark.parametrize("field", ["name", "url"])
def test_officer_adds_a_feed(client, auth, listing, field):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    for value in HOSTILE:
        data = {"name": "Neighbours", "url": "https://directory.example.org/api/v1", field: value}
        response = post_form(client, "/asset-map/manage/feeds", data)
        _settled(response)
        if field == "url":
            assert response.status_code == 400


def test_officer_maps_a_term(client, auth, listing, db_session):
    exchange.import_file("s.json", example("single-service.json"))
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    term = db_session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.vocabulary != "engage"))
    for value in HOSTILE:
        response = post_form(client, f"/asset-map/manage/terms/{term.id}", {"categories": value})
        _settled(response)
        assert response.status_code == 400
    assert client.get("/asset-map/manage/terms/" + "x" * 300).status_code == 404


@pytest.mark.parametrize("filename", ["s.csv", "s.json", "s.zip", "s.txt", "x" * 300])
def test_officer_uploads_anything(client, auth, listing, db_session, filename, worker):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    for content in (
        b"",
        b"\x00" * 100,
        "²".encode() * 50_000,
        b"organisation,name\n" + b"x," * 50_000,
        b"PK\x03\x04junk",
    ):
        response = post_form(
            client,
            "/asset-map/manage/import",
            {"file": (io.BytesIO(content), filename)},
            content_type="multipart/form-data",
        )
        _settled(response)
        if response.status_code == 302:
            job = wait_for(int(response.headers["Location"].rsplit("/", 1)[1]))
            assert job.state.value == "failed" and job.report["problems"], filename
            _settled(client.get(f"/jobs/{job.id}"))
    assert list(db_session.scalars(select(Service.name))) == ["Rothwell Youth Club"]


@pytest.mark.parametrize(
    "url",
    [
        "/find-support?q={v}",
        "/find-support?age={v}",
        "/find-support?category={v}&day={v}&language={v}&level={v}&page={v}&bbox={v}",
        "/find-support/results.json?q={v}&age={v}",
        "/find-support/results.json?q=Rothwell&view={v}&zoom={v}&fit={v}",
        "/find-support/results.json?view=-1,52,-0.5,52.5&zoom={v}&fit={v},{v}",
        "/find-support/results.json?view={v},52,-0.5,{v}&zoom=18",
        "/embed/find-support?area={v}",
        "/areas/{v}",
        "/asset-map/manage/stale?area={v}&category={v}",
        "/asset-map/manage/gaps?level={v}&category={v}&age={v}",
        "/asset-map/manage/gaps.csv?level={v}",
    ],
)
def test_pages_read_from_the_address(client, auth, listing, url):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    for value in HOSTILE:
        assert client.get(url.format(v=quote(value))).status_code < 500, (url, value[:20])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/services",
        "/api/v1/service_at_locations",
        "/api/v1/organizations",
        "/api/v1/taxonomy_terms",
    ],
)
def test_the_api(client, listing, path):
    for parameter in ("page", "per_page", "search", "taxonomy_term_id", "postcode", "day"):
        for value in HOSTILE:
            response = client.get(f"{path}?{parameter}={quote(value)}")
            assert response.status_code in (200, 400), (path, parameter, value[:20])
            if response.status_code == 400:
                assert response.mimetype == "application/problem+json"
    for value in HOSTILE:
        assert client.get(f"{path}/{quote(value, safe='')}x").status_code in (404, 400)
