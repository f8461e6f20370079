"""/api/v1/complaints for staff tokens."""

from balai.accounts.choices import Scope
from balai.complaints.choices import Privacy, Status


def test_the_list_holds_only_what_the_tokens_user_may_see(
    client, cast, cats, file_report, api_token, django_assert_max_num_queries
):
    mine = [file_report()[0].public_id for _ in range(10)]
    file_report(category=cats.garbage)
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_READ)
    # Token, its last use, throttling (one counter upsert), then one query for the list.
    with django_assert_max_num_queries(10):
        data = client.get("/api/v1/complaints", headers=headers).json()["items"]
    assert sorted(c["id"] for c in data) == sorted(mine)


def test_reports_carry_their_short_reference(client, cast, cats, file_report, api_token):
    complaint, _ = file_report()
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_READ)
    [listed] = client.get("/api/v1/complaints", headers=headers).json()["items"]
    detail = client.get(f"/api/v1/complaints/{complaint.public_id}", headers=headers).json()
    assert listed["short_ref"] == detail["short_ref"] == complaint.grouped_short_ref
    assert len(complaint.grouped_short_ref) == 9


def test_detail_of_another_units_report_is_404(client, cast, cats, file_report, api_token):
    complaint, _ = file_report()
    headers = api_token(cast.other_agency_officer, Scope.COMPLAINTS_READ)
    assert (
        client.get(f"/api/v1/complaints/{complaint.public_id}", headers=headers).status_code == 404
    )


def test_a_token_without_the_scope_gets_403(client, cast, cats, file_report, api_token):
    complaint, _ = file_report()
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_READ)
    response = client.post(
        f"/api/v1/complaints/{complaint.public_id}/actions",
        {"action": "verify"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_state_changes_through_the_api(client, cast, cats, file_report, api_token):
    complaint, _ = file_report(privacy=Privacy.ANONYMOUS)
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_READ, Scope.COMPLAINTS_WRITE)
    url = f"/api/v1/complaints/{complaint.public_id}/actions"
    for body in ({"action": "verify"}, {"action": "start", "note": "Survei."}):
        response = client.post(url, body, content_type="application/json", headers=headers)
        assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == Status.IN_PROGRESS
    assert data["reporter_name"] is None and data["reporter_email"] is None
    response = client.post(
        url, {"action": "resolve"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422


def test_a_unit_cannot_dispatch_through_the_api(client, cast, cats, file_report, api_token):
    complaint, _ = file_report()
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_WRITE)
    response = client.post(
        f"/api/v1/complaints/{complaint.public_id}/actions",
        {"action": "dispatch", "unit": "village"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403


def test_the_command_center_dispatches_through_the_api(client, cast, cats, file_report, api_token):
    complaint, _ = file_report(category=cats.other)
    headers = api_token(cast.command_center, Scope.COMPLAINTS_READ, Scope.COMPLAINTS_WRITE)
    response = client.post(
        f"/api/v1/complaints/{complaint.public_id}/actions",
        {"action": "dispatch", "unit": "agency", "agency": "dlh"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["agency"] == "dlh"


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/complaints" in paths
    assert "/api/v1/complaints/{public_id}/actions" in paths


def test_reading_a_reporters_identity_through_the_api_is_audited(
    client, cast, cats, file_report, api_token
):
    from balai.accounts.models import AuditLog

    complaint, _ = file_report()
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_READ)
    data = client.get(f"/api/v1/complaints/{complaint.public_id}", headers=headers).json()
    assert data["reporter_email"] == "siti@example.com"
    row = AuditLog.objects.get(action="complaint.identity_viewed")
    assert row.object_id == str(complaint.pk) and row.user == cast.agency_officer


def test_listing_reporters_identities_through_the_api_is_audited_in_one_row(
    client, cast, cats, file_report, api_token
):
    from balai.accounts.models import AuditLog

    shown = [file_report()[0] for _ in range(3)]
    file_report(privacy=Privacy.ANONYMOUS)
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_READ)
    assert len(client.get("/api/v1/complaints", headers=headers).json()["items"]) == 4
    row = AuditLog.objects.get(action="complaint.identities_listed")
    assert sorted(row.detail["complaints"]) == sorted(c.public_id for c in shown)
    assert row.user == cast.agency_officer and "siti" not in str(row.detail).lower()


def _act(client, headers, complaint, **body):
    return client.post(
        f"/api/v1/complaints/{complaint.public_id}/actions",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_assign_answers_alike_for_unknown_and_unassignable_usernames(
    client, cast, cats, file_report, api_token
):
    complaint, _ = file_report()
    headers = api_token(cast.agency_officer, Scope.COMPLAINTS_WRITE)
    unknown = _act(client, headers, complaint, action="assign", assignee="tidak-ada")
    # A real account, but of another agency, of a village, and the regency admin.
    for username in ("dlh", "operator_a", "admin"):
        other = _act(client, headers, complaint, action="assign", assignee=username)
        assert (other.status_code, other.json()) == (unknown.status_code, unknown.json())
    assert unknown.status_code == 422
    assert _act(client, headers, complaint, action="assign", assignee="pupr").status_code == 200
    complaint.refresh_from_db()
    assert complaint.assignee == cast.agency_officer


def test_the_api_checks_its_input_with_the_pages_forms(client, cast, cats, file_report, api_token):
    """The same form as the page: an unknown duplicate gets the page's own message."""
    complaint, _ = file_report()
    headers = api_token(cast.command_center, Scope.COMPLAINTS_WRITE)
    response = _act(
        client, headers, complaint, action="reject", reject_reason="duplicate", duplicate_of="nope"
    )
    assert response.status_code == 422
    assert "Aduan dengan id ini tidak ditemukan." in response.json()["title"]
    other, _ = file_report()
    response = _act(
        client,
        headers,
        complaint,
        action="reject",
        reject_reason="duplicate",
        duplicate_of=f"https://balai.example/aduan/laporan/{other.public_id}/",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
