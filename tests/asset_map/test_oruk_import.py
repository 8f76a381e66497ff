"""Open Referral UK 3.0 in: every shape other directories publish, nothing lost or bent,
other taxonomies' terms kept and mapped, updates rather than duplicates, and a file with any
problem refused whole with each problem named by its path (or file and line)."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engage.asset_map import exchange, taxonomy
from engage.asset_map.api.params import ServiceFilters
from engage.asset_map.api.services import service_ids
from engage.asset_map.models import Organisation, Service, TaxonomyTerm
from engage.importing import ImportFailed
from tests.asset_map.oruk import FIXTURES, example, problems, tabular_zip
from tests.factories import create_geography, create_service, create_term

SHAPES = {
    "single-service.json": 1,
    "service-list.json": 3,
    "api-page.json": 3,
    "organization-package.json": 3,
}


@pytest.fixture
def categories(db_session):
    create_geography()
    create_term("mental-health", "Mental health and wellbeing")
    create_term("sport", "Sport and physical activity")


def _services(db_session) -> dict[str, Service]:
    return {s.name: s for s in db_session.scalars(select(Service))}


@pytest.mark.parametrize("name, count", sorted(SHAPES.items()))
def test_every_shape_of_json_imports(categories, db_session, name, count):
    report = exchange.import_file(name, example(name))
    assert (report.created, report.updated) == (count, 0)
    assert report.organisations_created == (1 if count == 1 else 2)


def test_a_tabular_data_package_imports_like_its_json(categories, db_session):
    report = exchange.import_file("harborough.zip", tabular_zip())
    assert (report.created, report.left_aside_total) == (3, 0)
    from_csv = _services(db_session)
    exchange.import_file("services.json", example("service-list.json"))
    assert db_session.scalar(select(func.count(Service.id))) == 3  # the same records, updated
    assert {s.name for s in from_csv.values()} == set(_services(db_session))


def test_nothing_is_lost_or_bent(categories, db_session):
    exchange.import_file("services.json", example("single-service.json"))
    service = _services(db_session)["Youth Counselling Drop-in"]
    organisation = service.organisation
    assert organisation.description.startswith("A local charity")
    assert [(i.identifier_scheme, i.identifier) for i in organisation.identifiers] == [
        ("GB-CHC", "1070123")
    ]
    assert [p.number for p in organisation.phones] == ["01632 960800"]
    assert [f.source for f in organisation.funding] == ["The National Lottery Community Fund"]
    assert [(c.name, c.title, c.phones[0].number) for c in service.contacts] == [
        ("Sam Patel", "Counselling coordinator", "01632 960811")
    ]
    assert [(p.number, p.type, p.languages) for p in service.phones] == [
        ("01632 960810", "voice", ["en"]),
        ("07700 900811", "text", []),
    ]
    assert service.free is False  # a priced service is never marked free
    assert service.cost_description == "Adults £12.50 a session; free for under 18s."
    assert sorted((c.option, c.amount) for c in service.cost_options) == [
        ("Adults", Decimal("12.50")),
        ("Under 18s", Decimal("0.00")),
    ]
    assert [f.source for f in service.funding] == [
        "Leicestershire Violence Reduction Network grant 2026-27"
    ]
    monthly = next(s for s in service.schedules if s.freq == "MONTHLY")
    assert (monthly.byday, monthly.opens_at, str(monthly.dtstart)) == ("2SA", "10:00", "2026-09-12")
    assert [(lang.code, lang.note) for lang in service.languages] == [
        ("en", ""),
        ("pl", "On Wednesdays"),
    ]
    assert [a.name for a in service.area_descriptions] == ["Market Harborough and villages"]
    place = service.locations[0]
    assert (place.state_province, place.postcode, place.external_identifier_type) == (
        "Leicestershire",
        "LE16 7AF",
        "UPRN",
    )
    assert [(a.feature, a.description) for a in place.accessibility] == [
        ("step_free_access", "Step-free access"),
        (None, "Induction loop at reception"),
    ]
    assert (service.accreditations, service.alert) == (
        "All our counsellors are members of the BACP.",
        "Closed on bank holidays.",
    )


def test_a_free_service_stays_free(categories, db_session):
    exchange.import_file("services.json", example("service-list.json"))
    assert _services(db_session)["Youth Counselling Lutterworth"].free is True


def test_importing_again_updates_rather_than_duplicates(categories, db_session):
    exchange.import_file("services.json", example("service-list.json"))
    changed = json.loads(example("service-list.json"))
    changed[0]["name"] = "Youth Counselling Drop-in (new times)"
    changed[0]["schedules"] = changed[0]["schedules"][:1]
    report = exchange.import_file("services.json", json.dumps(changed).encode())
    assert (report.created, report.updated, report.organisations_created) == (0, 3, 0)
    renamed = _services(db_session)["Youth Counselling Drop-in (new times)"]
    assert [s.byday for s in renamed.schedules] == ["MO,WE"]
    assert db_session.scalar(select(func.count(Organisation.id))) == 2


def test_other_taxonomies_are_kept_then_mapped_and_the_mapping_remembered(categories, db_session):
    first = exchange.import_file("services.json", example("service-list.json"))
    assert sorted(first.to_map) == ["Boxing", "Counselling"]
    counselling = db_session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.name == "Counselling"))
    assert counselling.taxonomy.name == "LGA Service Types" and counselling.external_code == "1234"
    assert _found("mental-health") == []
    added = taxonomy.map_term(counselling, ["mental-health"])
    assert added == 2
    assert sorted(_found("mental-health")) == [
        "Youth Counselling Drop-in",
        "Youth Counselling Lutterworth",
    ]
    again = exchange.import_file("services.json", example("service-list.json"))
    assert again.mapped == ["Counselling → Mental health and wellbeing"]
    assert again.to_map == ["Boxing"]
    assert len(_found("mental-health")) == 2


def _found(category: str) -> list[str]:
    from engage.extensions import db

    ids, _ = service_ids(ServiceFilters(taxonomy_term_id=category, per_page=100))
    return [db.session.get(Service, i).name for i in ids]


def test_what_we_do_not_keep_is_reported_by_path(categories, db_session):
    document = json.loads(example("single-service.json"))
    document["alternate_name"] = "HYC drop-in"
    document["service_at_locations"][0]["location"]["addresses"].append(
        {**document["service_at_locations"][0]["location"]["addresses"][0], "id": "second"}
    )
    report = exchange.import_file("service.json", json.dumps(document).encode())
    where = {note.where for note in report.left_aside}
    assert "service/alternate_name" in where
    assert "service/service_at_locations/0/location/addresses/1" in where


def test_our_export_validates_and_imports_back_unchanged(categories, db_session):
    create_service("Club", schedules=[("FR", "18:00", "21:00")], languages=("en", "pl"))
    exchange.import_file("services.json", example("service-list.json"))
    exported = json.loads(exchange.export_oruk())
    assert all(problems("service", service) == [] for service in exported)
    report = exchange.import_file("again.json", json.dumps(exported).encode())
    assert (report.created, report.updated) == (0, 4)
    assert _unstamped(json.loads(exchange.export_oruk())) == _unstamped(exported)


def _unstamped(services: list[dict]) -> list[dict]:
    return [{k: v for k, v in s.items() if k != "last_modified"} for s in services]


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: d.update(name=""), "service/name"),
        (lambda d: d.update(name="x" * 100_000), "service/name"),
        (lambda d: d.update(name="a\x00b"), "service/name"),
        (lambda d: d.update(minimum_age="eleven"), "service/minimum_age"),
        (lambda d: d.update(minimum_age=10**30), "service/minimum_age"),
        (lambda d: d.update(maximum_age=5), "service/maximum_age"),
        (lambda d: d.update(status="open"), "service/status"),
        (lambda d: d.update(assured_date="2026-02-"), "service/assured_date"),
        (lambda d: d.update(url="javascript:alert(1)"), "service/url"),
        (lambda d: d.update(schedules={"not": "a list"}), "service/schedules"),
        (lambda d: d["schedules"][0].update(opens_at="25:00"), "service/schedules/0/opens_at"),
        (lambda d: d["cost_options"][0].update(amount=-3), "service/cost_options/0/amount"),
        (
            lambda d: d["service_at_locations"][0]["location"].update(
                latitude=-0.9, longitude=52.4
            ),
            "service/service_at_locations/0/location/latitude",
        ),
        (lambda d: d["organization"].update(name=["a", "list"]), "service/organization/name"),
    ],
)
def test_a_bad_value_refuses_the_file_naming_where(categories, db_session, change, where):
    document = json.loads(example("single-service.json"))
    change(document)
    with pytest.raises(ImportFailed) as failure:
        exchange.import_file("service.json", json.dumps(document).encode())
    assert where in {p.field for p in failure.value.problems}
    assert db_session.scalar(select(func.count(Service.id))) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"42",
        b'"a service"',
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps({"contents": [1, "two", None]}).encode(),
        json.dumps({"resources": [{"path": "services.csv"}]}).encode(),
    ],
)
def test_malformed_json_of_any_shape_is_a_list_of_problems(categories, db_session, raw):
    with pytest.raises(ImportFailed) as failure:
        exchange.import_file("file.json", raw)
    assert failure.value.problems
    assert db_session.scalar(select(func.count(Service.id))) == 0


def test_tabular_problems_name_the_file_and_line(categories, db_session, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "tabular").glob("*.csv")):
            text = path.read_text()
            if path.name == "schedules.csv":
                text = text.replace("16:00", "16:99")
            archive.writestr(path.name, text)
    with pytest.raises(ImportFailed) as failure:
        exchange.import_file("package.zip", buffer.getvalue())
    assert {p.field for p in failure.value.problems} >= {"schedules.csv line 2/opens_at"}
    with pytest.raises(ImportFailed):
        exchange.import_file("package.zip", b"PK not really a zip")


def test_ids_a_file_reuses_for_different_records_do_not_collide(categories, db_session):
    """Some publishers copy records and keep their ids: each copy is still saved."""
    one = json.loads(example("single-service.json"))
    copies = []
    for n in range(3):
        copy = json.loads(json.dumps(one))
        copy["id"], copy["name"] = f"copy-{n}", f"Copy {n}"
        copy["service_at_locations"][0]["location"]["id"] = f"place-{n}"
        copies.append(copy)
    report = exchange.import_file("copies.json", json.dumps(copies).encode())
    assert report.created == 3
    addresses = db_session.scalars(select(Service)).all()
    assert len({s.locations[0].address_oruk_id for s in addresses}) == 3
    assert len({p.oruk_id for s in addresses for p in s.phones}) == 6


def test_the_import_command_takes_files_and_folders_and_says_what_it_did(
    categories, db_session, runner, tmp_path
):
    single = tmp_path / "service.json"
    single.write_bytes(example("single-service.json"))
    result = runner.invoke(args=["assets", "import", str(single)])
    assert result.exit_code == 0, result.output
    assert (
        "1 services created, 0 updated" in result.output and "to map: Counselling" in result.output
    )
    folder = runner.invoke(args=["assets", "import", str(FIXTURES / "tabular")])
    assert folder.exit_code == 0 and "2 services created, 1 updated" in folder.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "", "status": "open"}')
    failed = runner.invoke(args=["assets", "import", str(broken)])
    assert failed.exit_code == 1
    assert "service/name" in failed.output and "service/status" in failed.output
