"""Schemathesis over /api/v1/openapi.json, against a live server on loopback.

A bounded, deterministic run (fixed seed, a few examples per operation) with a
token holding every scope: no server error and no response that breaks its
own declared schema. Found once: an offset past 2**63 was a 500.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from balai.accounts.choices import Scope

# Per operation and mode: about a minute on two cores. A deeper run now and
# then: BALAI_FUZZ_EXAMPLES=200 pytest balai/core/tests/test_api_fuzz.py
EXAMPLES = int(os.environ.get("BALAI_FUZZ_EXAMPLES", "15"))


@pytest.fixture
def fuzzed_data(cast, api_token):
    """A little of everything the API lists, so operations answer with bodies."""
    from balai.complaints.actions import submit_complaint
    from balai.complaints.models import Category

    road = Category.objects.create(code="jalan-rusak", name="Jalan rusak", agency=cast.agency)
    complaint, _ = submit_complaint(
        category=road,
        village=cast.village_a,
        description="Jalan berlubang.",
        reporter_name="Siti",
        reporter_email="siti@example.com",
    )
    # Known values for path parameters, so the rest of each request gets fuzzed
    # past the lookup (random ids only ever meet a 404).
    known = {
        "public_id": complaint.public_id,
        "code": cast.village_a.code,
        "region_code": cast.village_a.code,
        "village": cast.village_a.code,
    }
    return api_token(cast.admin, *Scope.values), known


@pytest.mark.django_db(transaction=True)
def test_the_api_keeps_to_its_schema_under_fuzzing(live_server, fuzzed_data):
    headers, known = fuzzed_data
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation, mode, fixed in [
        (operation, mode, fixed)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for fixed in (False, True)
    ]:
        names = {p.name for p in operation.path_parameters}
        queried = {p.name for p in operation.query}
        if fixed and not (names | queried) & known.keys():
            continue
        path = {k: v for k, v in known.items() if k in names} if fixed else None
        query = {k: v for k, v in known.items() if k in queried} if fixed else None
        strategy = operation.as_strategy(mode, path_parameters=path, query=query or None)

        @seed(20261205)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            response = case.call(base_url=live_server.url, headers=headers)
            case.validate_response(
                response,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
                headers=headers,
            )

        try:
            run()
        except Unsatisfiable:
            pass  # nothing in this operation can be made invalid (negative mode)
        except Exception as exc:  # every operation is tried; all failures reported together
            failures.append(f"{operation.label} ({mode.value}, fixed={fixed}): {exc}")
    assert failures == [], "\n\n".join(failures)
