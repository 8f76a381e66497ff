"""Schemathesis against /api/v1/openapi.json: generated requests (a bounded number per
operation) never get a server error, and every response matches the status codes, media
types and schemas the description promises."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from engage.asset_map import exchange
from tests.asset_map.oruk import example
from tests.factories import create_geography, create_service

EXAMPLES_PER_OPERATION = 30


@pytest.fixture
def api_schema(app, db_session):
    create_geography()
    create_service("Rothwell Youth Club", schedules=[("FR", "18:00", "21:00")])
    exchange.import_file("services.json", example("service-list.json"))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_api_keeps_its_description(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Schemathesis leaves out the description itself.
    assert {op.path for op in operations} == set(api_schema.raw_schema["paths"]) - {"/openapi.json"}
    calls: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(checks=CHECKS)
            calls.append(case.operation.label)

        call()
    assert {label for label in calls} == {op.label for op in operations}
