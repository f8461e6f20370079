"""Naming a village the user may not see is the same 404 as an unknown one, and is audited."""

from django.urls import reverse

from balai.accounts.choices import Scope
from balai.accounts.models import AuditLog

API = "/api/v1/residents"


def denials(user):
    return list(
        AuditLog.objects.filter(action="access_denied", user=user).values_list(
            "object_type", "object_id"
        )
    )


def test_exporting_another_scopes_village_is_a_404_and_is_audited(registry, client, login_as):
    login_as(registry.admin)  # village staff always export their own village
    url = reverse("residents:export", args=["csv"])
    assert client.get(url, {"desa": registry.foreign_village.code}).status_code == 404
    assert denials(registry.admin) == [("regions.village", registry.foreign_village.code)]


def test_exporting_an_unknown_village_is_the_same_404_without_an_audit_row(
    registry, client, login_as
):
    login_as(registry.admin)
    url = reverse("residents:export", args=["csv"])
    assert client.get(url, {"desa": "35.08.99.9999"}).status_code == 404
    assert denials(registry.admin) == []


def test_the_api_audits_a_lookup_of_another_village(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    response = client.get(API, {"village": registry.village_b.code}, headers=headers)
    assert response.status_code == 404
    assert denials(registry.operator_a) == [("regions.village", registry.village_b.code)]


def test_the_api_answers_an_unknown_village_alike_without_an_audit_row(registry, client, api_token):
    headers = api_token(registry.operator_a, Scope.RESIDENTS_READ)
    response = client.get(API, {"village": "35.08.99.9999"}, headers=headers)
    assert response.status_code == 404
    assert denials(registry.operator_a) == []
