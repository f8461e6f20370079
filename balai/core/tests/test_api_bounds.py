"""Every list parameter of the API is bounded and validated, in one mechanism.

Found by fuzzing: an offset past 2**63 was a server error (the database's
integer overflowed). Now any out-of-range or malformed query parameter is a
400 problem document naming the parameter, and the OpenAPI document declares
the bounds (so clients and schemathesis know them).
"""

import pytest
from openapi_spec_validator import validate

from balai.accounts.choices import Scope

HUGE = "13986905693570674792072912830464"


@pytest.fixture
def everything(cast, api_token):
    return api_token(cast.admin, *Scope.values)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/complaints?limit={HUGE}",
        "/api/v1/complaints?limit=0",
        f"/api/v1/letter-requests?limit={HUGE}",
        f"/api/v1/residents?village=35.08.01.2001&limit={HUGE}",
        "/api/v1/complaints?limit=satu",
        "/api/v1/complaints?cursor=satu",
        f"/api/v1/cameras?cursor={HUGE}",
        "/api/v1/letter-requests?cursor=" + "x" * 500,
    ],
)
def test_out_of_range_list_parameters_are_a_clear_400(client, everything, url):
    response = client.get(url, headers=everything)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    name = url.rsplit("&", 1)[-1].rsplit("?", 1)[-1].split("=")[0]
    assert problem["status"] == 400
    assert name in problem["detail"]


def test_a_body_that_does_not_fit_its_schema_stays_a_422(client, cast, api_token):
    headers = api_token(cast.command_center, Scope.COMPLAINTS_WRITE)
    response = client.post(
        "/api/v1/complaints/x/actions",
        {"action": "terbang"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422


def test_every_query_parameter_in_the_openapi_document_is_bounded(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    unbounded = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                schema = parameter["schema"]
                kinds = [schema, *schema.get("anyOf", [])]
                for kind in kinds:
                    if kind.get("type") == "integer" and not (
                        "minimum" in kind and "maximum" in kind
                    ):
                        unbounded.append((method, path, parameter["name"]))
                    if kind.get("type") == "string" and not ("maxLength" in kind or "enum" in kind):
                        unbounded.append((method, path, parameter["name"]))
    assert unbounded == []


def test_every_operation_documents_its_problem_responses(client):
    """Errors are part of the contract: clients (and schemathesis) can check them."""
    document = client.get("/api/v1/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "403", "404", "422", "429"):
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)


def test_the_message_says_the_bound_in_the_clients_language(client, everything):
    response = client.get(f"/api/v1/complaints?limit={HUGE}", headers=everything)
    assert response.json()["detail"] == "limit: paling besar 200"


def test_the_openapi_document_is_valid_openapi_3_1_with_examples_of_every_error(client):
    """As SPLP registers it: the document validates, and every error shows an example."""
    document = client.get("/api/v1/openapi.json").json()
    validate(document)  # raises on the first violation of the OpenAPI 3.1 schema
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert document["info"]["license"]["identifier"] == "AGPL-3.0-or-later"
    for operations in document["paths"].values():
        for operation in operations.values():
            example = operation["responses"]["429"]["content"]["application/problem+json"]
            assert example["example"]["status"] == 429
