"""Fuzz the live API from its own OpenAPI schema (schemathesis): whatever comes in, never a 5xx.

Requests carry a real device token, so generated bodies get past authentication into the push, pull and
blob handlers. Skipped when schemathesis is not installed (it is in the ``test`` extra).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_hq import schema as hq_schema

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def device_token(hq):
    _device_id, token = hq.enrol(hq.clinic("کلینیک فاز"))
    return token


OPERATIONS = [
    "GET /health",
    "POST /sync/enrol",
    "POST /sync/push",
    "GET /sync/pull",
    "POST /sync/conflicts/resolve",
    "HEAD /sync/blobs/{sha256}",
    "PUT /sync/blobs/{sha256}",
    "GET /sync/blobs/{sha256}",
    "GET /national/summary",
]


@pytest.fixture(scope="module")
def api_schema(hq):
    return schemathesis.openapi.from_url(f"{hq.url}/openapi.json")


def test_schema_lists_every_operation(api_schema):
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= labels


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_input_makes_a_server_error(api_schema, hq, device_token, label):
    operation = api_schema.find_operation_by_label(label)

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(), current=st.booleans())
    def fuzz(case, current):
        if current:  # half the cases speak the current schema version, so they reach the handlers' insides
            if isinstance(case.query, dict) and "schema_version" in case.query:
                case.query["schema_version"] = 1
            if isinstance(case.body, dict) and "schema_version" in case.body:
                case.body["schema_version"] = 1
        response = case.call(base_url=hq.url, headers={"authorization": f"Bearer {device_token}"}, timeout=20)
        case.validate_response(response, checks=[not_a_server_error])

    fuzz()


def test_fuzzing_stored_no_rows_of_synced_tables_it_was_not_allowed_to(hq):
    # Generated pushes may be valid for the fuzz clinic, but never land in another clinic's scope.
    with hq.engine.connect() as conn:
        clinics = set(conn.scalars(select(hq_schema.SYNCED["clinic"].c.id)))
        ent = hq_schema.SYNCED["enterprise"]
        owners = set(conn.scalars(select(ent.c.clinic_id).group_by(ent.c.clinic_id)))
        assert owners <= clinics
        assert conn.scalar(select(func.count()).select_from(hq_schema.device)) >= 1
