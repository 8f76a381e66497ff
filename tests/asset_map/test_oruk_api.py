"""The open API speaks Open Referral UK 3.0: every response validates against the standard's
schemas (our copies), no field is sent as null, old ids still resolve, and every parameter
has the meaning the standard gives it (or is refused with a 400, never ignored)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from engage.asset_map import exchange
from engage.asset_map.models import IdAlias, Service
from engage.database import utcnow
from tests.asset_map.oruk import example, nulls, problems
from tests.factories import create_geography, create_service

LEVEL_2 = {
    "/service_at_locations": ("service_at_location_list", "service_at_location"),
    "/organizations": ("organization_list", "organization"),
    "/taxonomies": ("taxonomy", "taxonomy"),
    "/taxonomy_terms": ("taxonomy_term", "taxonomy_term"),
}


@pytest.fixture
def directory(db_session):
    """Our own listings and three from a neighbouring directory, with every kind of record."""
    create_geography()
    create_service(
        "Rothwell Youth Club",
        minimum_age=11,
        maximum_age=18,
        schedules=[("FR", "18:00", "21:00")],
        languages=("en", "pl"),
        phone="01632 960123",
        accessibility=("step_free_access",),
    )
    create_service(
        "Adult Counselling",
        categories=("mental-health",),
        minimum_age=18,
        lat=52.43,
        lon=-0.79,
        free=False,
        cost_description="£5 a session",
        schedules=[("MO", "09:00", "12:00")],
    )
    create_service("Helpline", lat=None, virtual=True)
    exchange.import_file("services.json", example("service-list.json"))


def _get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True))
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.json


def _valid(schema: str, body, url: str) -> None:
    assert problems(schema, body) == [], url
    assert nulls(body) == [], url


def test_every_service_and_page_validates_and_leaves_empty_fields_out(client, directory):
    page = _get(client, "/api/v1/services?per_page=2")
    _valid("page", page, "services page")
    assert (page["total_items"], page["total_pages"], page["size"]) == (6, 3, 2)
    ids = []
    for number in range(1, 4):
        body = _get(client, f"/api/v1/services?per_page=2&page={number}")
        assert body["first_page"] is (number == 1) and body["last_page"] is (number == 3)
        for item in body["contents"]:
            _valid("service_list", item, "services item")
            ids.append(item["id"])
    assert len(set(ids)) == 6
    for service_id in ids:
        _valid("service", _get(client, f"/api/v1/services/{service_id}"), service_id)


def test_full_and_minimal_lists(client, directory):
    full = _get(client, "/api/v1/services?full=true&per_page=10")["contents"]
    assert all(problems("service", item) == [] for item in full)
    assert any(item.get("service_at_locations") for item in full)
    minimal = _get(client, "/api/v1/services?minimal=true&per_page=1000")
    assert minimal["size"] == 6
    assert all(
        set(item) == {"id", "name", "status", "last_modified"} for item in minimal["contents"]
    )


@pytest.mark.parametrize("path", sorted(LEVEL_2))
def test_level_2_lists_and_records_validate(client, directory, path):
    list_schema, record_schema = LEVEL_2[path]
    body = _get(client, f"/api/v1{path}")
    _valid("page", body, path)
    assert body["contents"], path
    for item in body["contents"]:
        _valid(list_schema, item, path)
        _valid(record_schema, _get(client, f"/api/v1{path}/{item['id']}"), f"{path}/{{id}}")


def test_root_names_version_profile_and_description(client):
    root = _get(client, "/api/v1/")
    assert root["version"] == "3.0" and root["profile"].startswith("https://")
    assert _get(client, root["openapi_url"].replace("http://localhost", ""))["openapi"] == "3.1.0"


def test_a_full_service_keeps_what_the_standard_nests(client, directory, db_session):
    oruk_id = db_session.scalar(
        select(Service.oruk_id).where(Service.name == "Youth Counselling Drop-in")
    )
    body = _get(client, f"/api/v1/services/{oruk_id}")
    assert body["organization"]["organization_identifiers"][0]["identifier"] == "1070123"
    assert {p["number"] for p in body["phones"]} == {"01632 960810", "07700 900811"}
    assert body["contacts"][0]["phones"][0]["number"] == "01632 960811"
    assert sorted(c["amount"] for c in body["cost_options"]) == [0, 12.5]
    assert body["fees"] == "Adults £12.50 a session; free for under 18s."
    assert {s["byday"] for s in body["schedules"]} == {"MO,WE", "2SA"}
    assert {lang["code"] for lang in body["languages"]} == {"en", "pl"}
    address = body["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["state_province"], address["postal_code"]) == ("Leicestershire", "LE16 7AF")
    assert body["attributes"][0]["taxonomy_term"]["name"] == "Counselling"


def test_our_records_publish_an_address_with_its_county(client, directory, db_session):
    oruk_id = db_session.scalar(
        select(Service.oruk_id).where(Service.name == "Rothwell Youth Club")
    )
    body = _get(client, f"/api/v1/services/{oruk_id}")
    address = body["service_at_locations"][0]["location"]["addresses"][0]
    assert address["state_province"] == "North Northamptonshire"
    assert body["organization"]["description"]  # required: the name when there is none
    assert body["cost_options"] == [
        {"id": body["cost_options"][0]["id"], "option": "Free", "amount": 0}
    ]


def test_old_ids_still_resolve(client, directory, db_session):
    service = db_session.scalar(select(Service).where(Service.name == "Rothwell Youth Club"))
    db_session.add(IdAlias(kind="service", alias="demo-svc-0001", oruk_id=service.oruk_id))
    db_session.commit()
    moved = client.get("/api/v1/services/demo-svc-0001")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/api/v1/services/{service.oruk_id}")
    term = client.get("/api/v1/taxonomy_terms/youth-activities")
    assert term.status_code == 301
    assert _get(client, term.headers["Location"])["name"] == "Youth activities"
    assert _names(client, "taxonomy_term_id=youth-activities") == [
        "Helpline",
        "Rothwell Youth Club",
    ]


def _names(client, query: str) -> list[str]:
    body = _get(client, f"/api/v1/services?per_page=100&{query}")
    return sorted(item["name"] for item in body["contents"])


def test_ages_have_the_standards_meaning(client, directory):
    # minimum_age: services whose minimum age is at least this; maximum_age: at most this.
    assert _names(client, "minimum_age=12") == ["Adult Counselling"]
    assert _names(client, "maximum_age=16") == ["Junior Boxing"]
    assert _names(client, "minimum_age=8&maximum_age=18") == [
        "Junior Boxing",
        "Rothwell Youth Club",
    ]


def test_day_and_times_are_of_one_schedule(client, directory):
    assert _names(client, "day=FR") == ["Rothwell Youth Club"]
    assert _names(client, "day=wednesday") == [
        "Junior Boxing",
        "Youth Counselling Drop-in",
        "Youth Counselling Lutterworth",
    ]
    assert _names(client, "day=SA&start_time=10:00&end_time=12:00") == ["Youth Counselling Drop-in"]
    assert _names(client, "start_time=17:00") == ["Rothwell Youth Club"]
    assert _names(client, "day=MO&end_time=12:00") == ["Adult Counselling"]


def test_terms_taxonomies_organisations_and_words(client, directory):
    taxonomies = _get(client, "/api/v1/taxonomies")["contents"]
    lga = next(t["id"] for t in taxonomies if t["name"] == "LGA Service Types")
    assert _names(client, f"taxonomy_id={lga}") == [
        "Youth Counselling Drop-in",
        "Youth Counselling Lutterworth",
    ]
    organisations = _get(client, "/api/v1/organizations?search=boxing")["contents"]
    assert [o["name"] for o in organisations] == ["Lutterworth Boxing Club"]
    assert _names(client, f"organization_id={organisations[0]['id']}") == ["Junior Boxing"]
    assert _names(client, "search=COUNSELLING lutterworth") == ["Youth Counselling Lutterworth"]
    assert _names(client, "search=100%") == []


def test_modified_after_finds_what_changed(client, directory, db_session):
    db_session.execute(update(Service).values(updated_at=utcnow() - timedelta(days=30)))
    db_session.execute(
        update(Service).where(Service.name == "Helpline").values(updated_at=utcnow())
    )
    db_session.commit()
    since = (utcnow() - timedelta(days=1)).isoformat(timespec="seconds") + "Z"
    assert _names(client, f"modified_after={since}") == ["Helpline"]


def test_postcode_and_proximity(client, directory):
    # NN14's centre is about 7.5 km from Adult Counselling and 8.2 km from the youth club.
    near = _get(client, "/api/v1/services?postcode=NN14&proximity=9000")["contents"]
    assert [s["name"] for s in near] == ["Adult Counselling", "Rothwell Youth Club"]
    assert _get(client, "/api/v1/services?postcode=NN14&proximity=7000")["contents"] == []
    everywhere = [s["name"] for s in _get(client, "/api/v1/services?postcode=NN14")["contents"]]
    assert everywhere[:2] == ["Adult Counselling", "Rothwell Youth Club"]
    assert everywhere[-1] == "Helpline" and len(everywhere) == 6
    sal = _get(client, "/api/v1/service_at_locations?postcode=NN14&proximity=9000")
    assert {item["service"]["name"] for item in sal["contents"]} == {
        "Rothwell Youth Club",
        "Adult Counselling",
    }


@pytest.mark.parametrize(
    "query, word",
    [
        ("colour=blue", "colour"),
        ("format=ndjson", "format"),
        ("proximity=100", "postcode"),
        ("postcode=ZZ99", "ZZ99"),
        ("per_page=101", "per_page"),
        ("minimal=true&full=true", "minimal"),
        ("page=0", "page"),
        ("page=99999999999999999999999999", "page"),
        ("minimum_age=²", "minimum_age"),
        ("minimum_age=nan", "minimum_age"),
        ("modified_after=2026-13", "modified_after"),
        ("modified_after=2026-02-", "modified_after"),
        ("day=someday", "day"),
        ("start_time=25:00", "start_time"),
        ("search=a%00b", "control characters"),
        ("search=" + "x" * 100_000, "search"),
        ("page=1&page=2", "page"),
        ("full=perhaps", "full"),
    ],
)
def test_parameters_we_cannot_honour_are_refused_with_a_problem(client, directory, query, word):
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == 400, query
    assert response.mimetype == "application/problem+json"
    assert word in response.json["detail"]


def test_unknown_ids_are_404_problems(client, directory):
    for path in (
        "services",
        "service_at_locations",
        "organizations",
        "taxonomies",
        "taxonomy_terms",
    ):
        response = client.get(f"/api/v1/{path}/no-such-id")
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
    assert client.get("/api/v1/services/x?colour=blue").status_code == 400


def test_the_map_feed_is_bounded(client, directory):
    features = _get(client, "/api/v1/services.geojson?bbox=-0.9,52.3,-0.7,52.5")["features"]
    assert {f["properties"]["name"] for f in features} == {
        "Rothwell Youth Club",
        "Adult Counselling",
    }
    for bad in ("", "bbox=1,2", "bbox=10,10,0,0", "bbox=a,b,c,d"):
        assert client.get(f"/api/v1/services.geojson?{bad}").status_code == 400, bad


def test_openapi_describes_every_route_with_full_schemas(client, app):
    spec = _get(client, "/api/v1/openapi.json")
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<record_id>", "{id}") or "/"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api_v1.")
    }
    assert routes == set(spec["paths"])
    service = spec["components"]["schemas"]["Service"]
    assert service["properties"]["name"]["maxLength"] == 200
    assert set(service["required"]) >= {"id", "name", "status"}
    per_page = next(
        p
        for p in spec["paths"]["/service_at_locations"]["get"]["parameters"]
        if p["name"] == "per_page"
    )
    assert per_page["schema"]["maximum"] == 100


def test_a_postcode_filters_services_by_the_areas_they_cover(client, directory, db_session):
    from engage.geo.models import Area, Postcode

    areas = {a.code: a for a in db_session.scalars(select(Area))}
    db_session.add(
        Postcode(
            postcode="NN146AB",
            latitude=52.4224,
            longitude=-0.8004,
            district="NN14",
            sector="NN14 6",
        )
    )
    create_service("West Outreach", lat=None, service_areas=[areas["T-W1"]])
    create_service("East Outreach", lat=None, service_areas=[areas["T-W2"]])
    names = [s["name"] for s in _get(client, "/api/v1/services?postcode=NN14 6AB")["contents"]]
    assert "West Outreach" in names and "East Outreach" not in names
    assert names[0] == "Rothwell Youth Club"
