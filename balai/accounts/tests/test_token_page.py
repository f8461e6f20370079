"""The regency admin's API token page: create (value shown once), list, revoke."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.accounts.actions import create_token
from balai.accounts.models import ApiClient, ApiToken, AuditLog, User, token_digest
from balai.accounts.tests.roles import NOT_REGENCY_ADMIN
from balai.core.tests.migrations import migrate_forward, migrated_to

URL = reverse("accounts:api-tokens")


@pytest.fixture
def client_app(db):
    user = User.objects.create_user("svc-sipd", is_service=True)
    return ApiClient.objects.create(name="sipd", description="SIPD", user=user)


def test_the_admin_creates_a_token_and_sees_its_value_once(cast, login_as, client):
    login_as(cast.admin)
    response = client.post(
        URL,
        {
            "owner": f"user:{cast.operator_a.pk}",
            "name": "Aplikasi desa",
            "scopes": ["letters:read", "residents:read"],
            "days": 30,
        },
    )
    assert response["Location"] == URL
    response = client.get(URL)
    value = response.content.decode().split('class="mono secret">')[1].split("<")[0]
    token = ApiToken.objects.get()
    assert token.digest == token_digest(value)
    assert (token.user, token.scopes, token.created_by) == (
        cast.operator_a,
        ["letters:read", "residents:read"],
        cast.admin,
    )
    assert response["Cache-Control"].startswith("max-age=0")
    assert value not in client.get(URL).content.decode()
    row = AuditLog.objects.get(action="token_created")
    assert row.user == cast.admin


def test_a_token_can_belong_to_an_api_client(cast, client_app, login_as, client):
    login_as(cast.admin)
    client.post(URL, {"owner": f"client:{client_app.pk}", "scopes": ["open311"], "days": 365})
    assert ApiToken.objects.get().user == client_app.user
    assert "sipd" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scopes": [], "days": 30}, "scopes"),
        ({"scopes": ["open311"], "days": 0}, "days"),
        ({"scopes": ["open311"], "days": 731}, "days"),
        ({"scopes": ["nuclear"], "days": 30}, "scopes"),
    ],
)
def test_bad_input_is_explained_beside_the_field(cast, login_as, client, data, field):
    login_as(cast.admin)
    page = client.post(URL, {"owner": f"user:{cast.operator_a.pk}", **data}).content.decode()
    assert f'id="id_{field}_error"' in page
    assert not ApiToken.objects.exists()


def test_the_admin_revokes_a_token(cast, login_as, client):
    token, _ = create_token(cast.operator_a, ["letters:read"], 30)
    login_as(cast.admin)
    response = client.post(reverse("accounts:revoke-api-token", args=[token.pk]))
    assert response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditLog.objects.get(action="token_revoked").user == cast.admin
    # Revoking twice, or a token that does not exist, is a 404.
    assert client.post(reverse("accounts:revoke-api-token", args=[token.pk])).status_code == 404
    assert client.post(reverse("accounts:revoke-api-token", args=[99999])).status_code == 404


def test_the_list_says_when_a_token_was_revoked_or_rotated(cast, login_as, client):
    revoked, _ = create_token(cast.operator_a, ["letters:read"], 30)
    rotated, _ = create_token(cast.operator_b, ["letters:read"], 30)
    login_as(cast.admin)
    client.post(reverse("accounts:revoke-api-token", args=[revoked.pk]))
    client.post(reverse("accounts:rotate-api-token", args=[rotated.pk]))
    revoked.refresh_from_db()
    rotated.refresh_from_db()
    assert rotated.rotated_at is not None
    assert rotated.revoked_at is None  # it keeps working for the overlap
    page = " ".join(client.get(URL).content.decode().split())

    def shown(when):
        return f"{timezone.localtime(when):%d-%m-%Y %H:%M}"

    assert f"Dicabut</span><br><small>{shown(revoked.revoked_at)}</small>" in page
    assert f"diganti {shown(rotated.rotated_at)}; tetap berlaku sampai waktu ini" in page


@pytest.mark.django_db(transaction=True)
def test_tokens_rotated_before_are_given_their_rotation_time():
    """0003: the successor was made in the rotation's transaction, so its creation
    time is when the old token was rotated."""
    old_apps = migrated_to(("accounts", "0002_api_clients_rotation_and_call_log"))
    User = old_apps.get_model("accounts", "User")
    Token = old_apps.get_model("accounts", "ApiToken")
    user = User.objects.create(username="svc")
    later = timezone.now() + dt.timedelta(days=30)
    new = Token.objects.create(user=user, digest="b" * 64, hint="balai_b", expires_at=later)
    Token.objects.create(
        user=user, digest="a" * 64, hint="balai_a", expires_at=later, replaced_by=new
    )
    Token.objects.filter(pk=new.pk).update(created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))

    migrate_forward()

    old = ApiToken.objects.get(hint="balai_a")
    assert old.rotated_at == dt.datetime(2026, 3, 4, tzinfo=dt.UTC)
    assert ApiToken.objects.get(hint="balai_b").rotated_at is None


def test_revoking_takes_a_post(cast, login_as, client):
    token, _ = create_token(cast.operator_a, ["letters:read"], 30)
    login_as(cast.admin)
    assert client.get(reverse("accounts:revoke-api-token", args=[token.pk])).status_code == 405


def test_the_list_shows_every_token_in_a_fixed_number_of_queries(
    cast, client_app, login_as, client, django_assert_max_num_queries
):
    for user in [*cast.staff_of_a, *cast.staff_of_b, client_app.user]:
        create_token(user, ["letters:read"], 30)
    login_as(cast.admin)
    with django_assert_max_num_queries(12):
        page = client.get(URL).content.decode()
    assert page.count("balai_") >= 7


@pytest.mark.parametrize("who", NOT_REGENCY_ADMIN)
def test_other_roles_get_403_everywhere_on_the_token_page(cast, login_as, client, who):
    token, _ = create_token(cast.operator_a, ["letters:read"], 30)
    login_as(getattr(cast, who))
    assert client.get(URL).status_code == 403
    data = {"owner": f"user:{cast.operator_a.pk}", "scopes": ["open311"], "days": 30}
    assert client.post(URL, data).status_code == 403
    assert client.post(reverse("accounts:revoke-api-token", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_admin_past_the_password_but_not_the_code_cannot_reach_it(cast, client):
    client.force_login(cast.admin)
    response = client.get(URL)
    assert response["Location"].startswith(reverse("accounts:second-factor"))
