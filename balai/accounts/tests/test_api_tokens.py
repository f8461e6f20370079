from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from balai.accounts.models import ApiClient, ApiToken, User, token_digest


def test_create_token_prints_the_token_alone_on_the_last_line(cast, capsys):
    call_command("create_token", "operator_a", "--scope", "residents:read", "--days", "7")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("balai_") and " " not in last
    token = ApiToken.objects.get(digest=token_digest(last))
    assert token.user == cast.operator_a and token.scopes == ["residents:read"]
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    # Only the digest is stored.
    assert last not in str(ApiToken.objects.values_list())


def test_a_client_application_gets_a_token_for_its_service_user(cast, capsys):
    service = User.objects.create(
        username="svc-pupr", role="agency_staff", agency=cast.agency, is_service=True
    )
    ApiClient.objects.create(name="sipupr", user=service)
    call_command("create_token", "sipupr", "--scope", "complaints:read")
    value = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.get(digest=token_digest(value)).user == service


def test_unknown_owner_and_bad_days_are_refused(cast):
    with pytest.raises(CommandError, match="no active user or API client named 'nobody'"):
        call_command("create_token", "nobody", "--scope", "open311")
    with pytest.raises(CommandError, match="1 to 730 days"):
        call_command("create_token", "operator_a", "--scope", "open311", "--days", "0")
    assert not ApiToken.objects.exists()


def test_openapi_document_is_3_1(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/regions/{code}" in doc["paths"]
