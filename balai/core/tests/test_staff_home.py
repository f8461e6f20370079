"""The staff home shows the user's scope and links to their work."""

import pytest
from django.urls import reverse

URL = reverse("core:staff-home")


@pytest.mark.parametrize(
    ("who", "scope"),
    [
        ("operator_a", "Desa Tempursari"),
        ("head_b", "Desa Sidomulyo"),
        ("district_a", "Tempursari"),
        ("agency_officer", "Dinas PUPR"),
        ("admin", "Kabupaten Lumajang"),
        ("command_center", "Kabupaten Lumajang"),
    ],
)
def test_it_shows_the_users_role_and_scope(cast, login_as, client, who, scope):
    user = getattr(cast, who)
    login_as(user)
    page = client.get(URL).content.decode()
    assert user.get_role_display() in page
    assert scope in page
    assert reverse("accounts:audit-log") in page


def test_only_the_regency_admin_gets_the_token_and_admin_links(cast, login_as, client):
    login_as(cast.admin)
    page = client.get(URL).content.decode()
    assert reverse("accounts:api-tokens") in page and reverse("admin:index") in page
    for user in (cast.operator_a, cast.command_center):
        login_as(user)
        page = client.get(URL).content.decode()
        assert reverse("accounts:api-tokens") not in page
        assert reverse("admin:index") not in page


def test_a_user_without_a_role_is_told_to_ask_the_admin(cast, login_as, client):
    login_as(cast.outsider)
    page = client.get(URL).content.decode()
    assert "belum diberi peran" in page
    assert reverse("accounts:audit-log") not in page


def test_it_offers_the_second_factor_to_those_without_one(cast, login_as, client):
    login_as(cast.operator_a)
    assert "Aktifkan verifikasi dua langkah" in client.get(URL).content.decode()
    login_as(cast.admin)
    assert "Verifikasi dua langkah aktif" in client.get(URL).content.decode()


def test_strangers_are_sent_to_the_login(db, client):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))
