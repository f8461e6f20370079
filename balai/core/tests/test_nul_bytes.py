"""A NUL byte anywhere in a request is a 400, never a server error.

Found by the schemathesis run on PostgreSQL, whose text cannot hold NUL: a
`%00` in a path, a query parameter or a JSON string reached a query and
became a 500. Forms already refuse NUL (Django's ProhibitNullCharactersValidator);
these inputs never pass a form.
"""

import pytest

from balai.accounts.choices import Scope


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/complaints/%00",
        "/api/v1/complaints?village=%00",
        "/api/v1/residents?village=35.08.01.2001&q=a%00b",
        "/open311/v2/requests.json?service_code=%00",
        "/aduan/?status=%00",
    ],
)
def test_a_nul_in_the_url_is_a_400(client, cast, api_token, url):
    response = client.get(url, headers=api_token(cast.admin, *Scope.values))
    assert response.status_code == 400


def test_a_nul_in_a_json_string_is_a_400_problem(client, cast, api_token):
    from balai.complaints.actions import submit_complaint
    from balai.complaints.models import Category

    category = Category.objects.create(code="lainnya", name="Lainnya")
    complaint, _ = submit_complaint(category=category, village=cast.village_a, description="x")
    headers = api_token(cast.command_center, Scope.COMPLAINTS_WRITE)
    for body in (
        {"action": "dispatch", "unit": "agency", "agency": "dinas\u0000pupr"},
        {"action": "assign", "assignee": "cc\u0000"},
    ):
        response = client.post(
            f"/api/v1/complaints/{complaint.public_id}/actions",
            body,
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 400, body
        assert response["Content-Type"] == "application/problem+json"
