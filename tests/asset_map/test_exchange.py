"""CSV and Open Referral UK import/export: a bad row is named and nothing is imported."""

import io
import json

import jsonschema
import pytest
from sqlalchemy import func, select

from engage.asset_map import exchange
from engage.asset_map.exchange import template
from engage.asset_map.models import Service
from engage.importing import ImportFailed
from tests.factories import create_geography, create_service, create_term

HEADER = "organisation,name,description,categories,latitude,longitude,postcode,free,cost\n"

# Our own copy of the required-field rules of HSDS 3 / Open Referral UK for a service.
ORUK_SERVICE = {
    "type": "object",
    "required": ["id", "name", "status", "organization"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "name": {"type": "string", "minLength": 1},
        "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
        "organization": {
            "type": "object",
            "required": ["id", "name", "description"],
        },
        "schedules": {"type": "array", "items": {"type": "object", "required": ["id"]}},
        "service_at_locations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "location"],
                "properties": {
                    "location": {
                        "type": "object",
                        "required": ["id", "location_type"],
                        "properties": {
                            "location_type": {"enum": ["physical", "postal", "virtual"]}
                        },
                    }
                },
            },
        },
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "taxonomy_term"],
                "properties": {
                    "taxonomy_term": {"type": "object", "required": ["id", "name", "description"]}
                },
            },
        },
        "languages": {"type": "array", "items": {"type": "object", "required": ["id"]}},
    },
}


@pytest.fixture
def terms(db_session):
    create_geography()
    create_term("youth-activities")
    create_term("sport")


def _csv(*rows: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode("utf-8"))


def _count(db_session) -> int:
    return db_session.scalar(select(func.count(Service.id)))


def test_a_good_file_is_imported_and_placed_in_its_areas(terms, db_session):
    result = template.import_csv(
        _csv(
            "Rothwell Youth Club,Friday night,Games and sport,youth-activities;sport,"
            "52.4224,-0.8004,nn14 6ab,yes,",
        )
    )
    assert (result.created, result.updated) == (1, 0)
    service = db_session.scalar(select(Service))
    assert service.locations[0].postcode == "NN14 6AB"
    assert {a.code for a in service.locations[0].areas} == {"T-LAP", "T-W1", "T-L1"}


def test_one_bad_row_imports_nothing_and_names_line_and_field(terms, db_session):
    with pytest.raises(ImportFailed) as failure:
        template.import_csv(
            _csv(
                "Org,Good,Fine,youth-activities,52.42,-0.80,NN14 6AB,yes,",
                "Org,Swapped,Oops,youth-activities,-0.80,52.42,NN14 6AB,yes,",
                "Org,Unknown,Oops,knitting,52.42,-0.80,NN14 6AB,no,",
            )
        )
    found = {(p.line, p.field) for p in failure.value.problems}
    assert found == {(3, "latitude"), (4, "categories"), (4, "cost")}
    assert "swapped" in str(failure.value.problems[0])
    assert _count(db_session) == 0


def test_missing_columns_and_non_utf8_files_are_refused(terms):
    with pytest.raises(ImportFailed) as failure:
        template.import_csv(io.BytesIO(b"organisation,name\nA,B\n"))
    assert {p.field for p in failure.value.problems} == {"description", "categories"}
    with pytest.raises(ImportFailed) as failure:
        template.import_csv(
            io.BytesIO(HEADER.encode() + "Caf\xe9,x,y,sport,,,,yes,\n".encode("latin-1"))
        )
    assert failure.value.problems[0].line == 2


def test_duplicate_service_ids_in_one_file_are_refused(terms):
    header = "service_id," + HEADER
    body = header + "s1,Org,A,d,sport,,,,yes,\ns1,Org,B,d,sport,,,,yes,\n"
    with pytest.raises(ImportFailed) as failure:
        template.import_csv(io.BytesIO(body.encode()))
    assert failure.value.problems[0].line == 3


def test_export_then_import_changes_nothing(terms, db_session):
    create_service("Club", minimum_age=11, maximum_age=18, schedules=[("FR", "18:00", "21:00")])
    before = exchange.export_csv()
    result = template.import_csv(io.BytesIO(before.encode()))
    assert (result.created, result.updated) == (0, 1)
    assert exchange.export_csv() == before


def test_oruk_export_meets_the_standards_required_fields(terms, db_session):
    create_service("Club", schedules=[("FR", "18:00", "21:00")], languages=("en", "pl"))
    services = json.loads(exchange.export_oruk())
    for service in services:
        jsonschema.validate(service, ORUK_SERVICE)


def test_oruk_json_imports_too(terms, db_session):
    create_service("Club")
    data = exchange.export_oruk()
    db_session.execute(Service.__table__.update().values(name="Renamed"))
    db_session.commit()
    result = exchange.import_file("services.json", data.encode())
    assert result.updated == 1
    assert db_session.scalar(select(Service.name)) == "Club"
    with pytest.raises(ImportFailed):
        exchange.import_file("broken.json", b"{not json")


def test_a_header_that_is_not_csv_is_a_problem_not_a_crash(terms):
    with pytest.raises(ImportFailed) as failure:
        template.import_csv(io.BytesIO(b"organisation,\rname\n"))
    assert failure.value.problems[0].line == 1
