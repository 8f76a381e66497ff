"""What residents, providers and officers see on the asset map pages, and the open API."""

import io
import re

import pytest
from sqlalchemy import select

from engage.accounts.roles import Role
from engage.asset_map.models import OrganisationMember, ProblemReport, ProposedChange
from tests.conftest import post_form
from tests.factories import create_geography, create_service, create_user
from tests.workers import wait_for


@pytest.fixture
def directory(db_session):
    create_geography()
    club = create_service(
        "Rothwell Youth Club", minimum_age=11, maximum_age=18, schedules=[("FR", "18:00", "21:00")]
    )
    create_service(
        "Adult Counselling",
        categories=("mental-health",),
        minimum_age=18,
        lat=52.43,
        lon=-0.79,
        free=False,
        cost_description="£5 a session",
    )
    return club


def test_find_support_lists_services_near_a_place(client, directory):
    page = client.get("/find-support?q=Rothwell&category=youth-activities&age=14").get_data(
        as_text=True
    )
    assert "1 service near Rothwell, North Northamptonshire" in page
    assert "1 service you can go to, nearest first" in page
    assert "Rothwell Youth Club" in page and "Adult Counselling" not in page
    assert "11 to 18" in page and "Friday, 6pm to 9pm" in page and "Free" in page
    assert 'href="/areas/T-W1">West Ward, North Northamptonshire</a>' in page
    assert "T-L1" not in page and "Test 001A" not in page


def test_the_map_gets_the_same_results_as_the_list(client, directory):
    data = client.get("/find-support/results.json?q=Rothwell").json
    page = client.get("/find-support?q=Rothwell").get_data(as_text=True)
    assert data["located"] == 2 and data["cells"] == [] and data["zoom"] is None
    assert data["url"] == "/services/{id}"
    assert all(f'href="/services/{row[0]}"' in page for row in data["services"])


def test_find_support_works_without_a_place_and_shares_filters_in_the_url(client, directory):
    page = client.get("/find-support?free=y").get_data(as_text=True)
    assert "Rothwell Youth Club" in page and "Adult Counselling" not in page
    assert re.search(r'<input[^>]*name="free"[^>]*checked', page)


def test_unknown_place_suggests_another(client, directory):
    page = client.get("/find-support?q=Rothwel").get_data(as_text=True)
    assert "We could not find “Rothwel”" in page
    assert "/find-support?q=Rothwell" in page


def test_bad_filter_values_are_explained(client, directory):
    response = client.get("/find-support?age=abc")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_service_page_shows_everything_and_offers_to_report_a_problem(client, directory):
    page = client.get(f"/services/{directory.id}").get_data(as_text=True)
    for text in [
        "Rothwell Youth Club",
        "Friday, 6pm to 9pm",
        "Last checked",
        "Report a problem with this listing",
    ]:
        assert text in page


def test_reporting_a_problem_reaches_the_officers_queue(client, auth, directory, db_session):
    url = f"/services/{directory.id}/report-a-problem"
    empty = post_form(client, url, {"details": "x"})
    assert "Select what is wrong with the listing" in empty.get_data(as_text=True)
    response = post_form(client, url, {"kind": "closed", "details": "It closed in June"})
    assert response.status_code == 302
    assert db_session.scalar(select(ProblemReport)).details == "It closed in June"
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    assert "It closed in June" in client.get("/asset-map/manage/problems").get_data(as_text=True)


def test_area_page_shows_need_and_what_is_there(client, directory):
    page = client.get("/areas/T-L1").get_data(as_text=True)
    assert "Test 001A" in page and "2 of 10" in page
    assert "Youth activities" in page
    assert client.get("/areas/NOPE").status_code == 404


def test_embed_may_be_framed_only_by_configured_origins(app, client, directory):
    app.config["EMBED_ALLOWED_ORIGINS"] = ["https://partner.example.org"]
    try:
        response = client.get("/embed/find-support?area=T-L1")
    finally:
        app.config["EMBED_ALLOWED_ORIGINS"] = []
    assert (
        "frame-ancestors https://partner.example.org" in response.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response.headers
    assert "Rothwell Youth Club" in response.get_data(as_text=True)
    assert client.get("/find-support").headers["X-Frame-Options"] == "DENY"


def test_provider_proposes_and_officer_approves(app, client, auth, directory, db_session):
    provider = create_user(Role.VCSE_PROVIDER)
    db_session.add(
        OrganisationMember(organisation=directory.organisation, user=provider, status="approved")
    )
    db_session.commit()
    auth.sign_in_as(provider)
    assert "Rothwell Youth Club" in client.get("/my-organisations").get_data(as_text=True)
    form = client.get(f"/services/{directory.id}/edit").get_data(as_text=True)
    assert "Suggest changes to the listing" in form
    data = {
        "name": "Rothwell Youth Club",
        "description": "New words",
        "categories": "youth-activities",
        "status": "active",
        "access": "self_referral",
        "prevention_level": "primary",
        "free": "y",
        "minimum_age": "11",
        "maximum_age": "18",
        "languages": "en",
        "opening_times": "FR 18:00-21:00",
    }
    response = post_form(client, f"/services/{directory.id}/edit", data)
    assert response.status_code == 302
    assert directory.description == "About Rothwell Youth Club"

    officer = app.test_client()
    post_form(
        officer,
        "/sign-in",
        {"email": create_user(Role.ENGAGEMENT_OFFICER).email, "password": "correct horse battery"},
    )
    proposal = db_session.scalar(select(ProposedChange))
    review = officer.get(f"/asset-map/manage/changes/{proposal.id}").get_data(as_text=True)
    assert "New words" in review and "About Rothwell Youth Club" in review
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', review).group(1)
    officer.post(
        f"/asset-map/manage/changes/{proposal.id}/approve",
        data={"csrf_token": token, "reason": ""},
    )
    db_session.refresh(directory)
    assert directory.description == "New words"


def test_provider_edit_form_redisplays_with_errors(client, auth, directory, db_session):
    provider = create_user(Role.VCSE_PROVIDER)
    db_session.add(
        OrganisationMember(organisation=directory.organisation, user=provider, status="approved")
    )
    db_session.commit()
    auth.sign_in_as(provider)
    response = post_form(
        client,
        f"/services/{directory.id}/edit",
        {
            "name": "X",
            "description": "Y",
            "categories": "youth-activities",
            "status": "active",
            "access": "self_referral",
            "prevention_level": "primary",
            "opening_times": "Fridays",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "should look like MO 18:00-20:00" in page


def test_providers_cannot_edit_listings_they_do_not_look_after(client, auth, directory):
    auth.sign_in_as(create_user(Role.VCSE_PROVIDER))
    assert client.get(f"/services/{directory.id}/edit").status_code == 403


def test_officer_upload_with_a_bad_row_shows_line_and_field(
    client, auth, directory, db_session, worker
):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    body = (
        b"organisation,name,description,categories,latitude,longitude\n"
        b"Org,Good,Fine,youth-activities,52.42,-0.80\n"
        b"Org,Bad,Oops,youth-activities,-0.80,52.42\n"
    )
    response = post_form(
        client,
        "/asset-map/manage/import",
        {"file": (io.BytesIO(body), "services.csv")},
        content_type="multipart/form-data",
    )
    job = wait_for(int(response.headers["Location"].rsplit("/", 1)[1]))
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "The file was not imported" in page
    assert "line 3, field “latitude”" in page
    assert "Good" not in client.get("/find-support").get_data(as_text=True)


def test_officer_pages_and_downloads(client, auth, directory):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    for url in [
        "/asset-map/manage",
        "/asset-map/manage/stale",
        "/asset-map/manage/gaps",
        "/asset-map/manage/claims",
        "/asset-map/manage/changes",
    ]:
        assert client.get(url).status_code == 200, url
    csv_text = client.get("/asset-map/manage/export.csv").get_data(as_text=True)
    assert "Rothwell Youth Club" in csv_text
    assert client.get("/asset-map/manage/gaps.csv").mimetype == "text/csv"
    assert (
        client.get("/asset-map/manage/template.csv")
        .get_data(as_text=True)
        .startswith("service_id,")
    )


def test_api_lists_services_paged_as_open_referral_does(client, directory):
    response = client.get("/api/v1/services?per_page=1")
    body = response.json
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert {
        k: body[k]
        for k in (
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
        )
    } == {
        "total_items": 2,
        "total_pages": 2,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    near = client.get(
        "/api/v1/services?postcode=NN14&proximity=20000&taxonomy_term_id=mental-health"
    ).json
    assert [s["name"] for s in near["contents"]] == ["Adult Counselling"]


def test_api_service_detail_and_problems(client, directory):
    listing = client.get("/api/v1/services").json["contents"]
    oruk_id = next(s["id"] for s in listing if s["name"] == "Rothwell Youth Club")
    detail = client.get(f"/api/v1/services/{oruk_id}").json
    assert detail["schedules"][0]["byday"] == "FR"
    assert detail["service_at_locations"][0]["location"]["latitude"] == 52.4224
    missing = client.get("/api/v1/services/nope")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    bad = client.get("/api/v1/services?per_page=1000")
    assert bad.status_code == 400 and "per_page" in bad.json["detail"]
    assert client.get("/api/v1/services?postcode=ZZ99").status_code == 400


def test_api_geojson_and_openapi(client, directory):
    features = client.get("/api/v1/services.geojson?bbox=-0.9,52.3,-0.7,52.5").json["features"]
    assert len(features) == 2
    assert client.get("/api/v1/services.geojson").status_code == 400
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1") and "/services" in spec["paths"]


def test_officer_adds_a_service_with_a_location(client, auth, directory, db_session):
    auth.sign_in_as(create_user(Role.ENGAGEMENT_OFFICER))
    data = {
        "organisation_name": "New Org",
        "name": "Homework Club",
        "description": "Help",
        "categories": "youth-activities",
        "status": "active",
        "access": "self_referral",
        "prevention_level": "primary",
        "free": "y",
        "postcode": "nn14 6ab",
        "latitude": "-0.80",
        "longitude": "52.42",
    }
    swapped = post_form(client, "/asset-map/manage/services/new", data)
    assert "look swapped" in swapped.get_data(as_text=True)
    response = post_form(
        client,
        "/asset-map/manage/services/new",
        {**data, "latitude": "52.42", "longitude": "-0.80"},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Homework Club" in page and "NN14 6AB" in page
    assert "West Ward, North Northamptonshire" in page and "Test 001A" not in page


def test_a_listing_from_another_directory_shows_all_it_brought(client, db_session):
    from engage.asset_map import exchange
    from engage.asset_map.models import Service
    from tests.asset_map.oruk import example

    create_geography()
    exchange.import_file("service.json", example("single-service.json"))
    service = db_session.scalar(select(Service))
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    for text in [
        "07700 900811",
        "Sam Patel, Counselling coordinator",
        "Monday and Wednesday, 4pm to 7pm (Drop in, no appointment needed)",
        "Second Saturday of the month, 10am to midday",
        "Adults £12.50 a session; free for under 18s.",
        "Step-free access, Induction loop at reception",
        "Market Harborough and villages",
    ]:
        assert text in page, text


def test_only_web_addresses_become_links(client, directory, db_session):
    directory.url = "javascript:alert(1)"
    db_session.commit()
    page = client.get(f"/services/{directory.id}").get_data(as_text=True)
    assert "javascript:" not in page
