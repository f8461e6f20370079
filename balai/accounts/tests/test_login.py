"""Signing in and out: one answer for every failure, throttling nobody can abuse."""

import pytest
import time_machine
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.accounts.throttle import DEVICE_COOKIE, LIMITS

PASSWORD = "correct horse battery"
LOGIN = "/akun/masuk/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def error_text(response):
    return response.content.decode().split('class="errors"')[1].split("</div>")[0]


def test_a_correct_password_signs_in_and_lands_in_the_staff_area(cast, client):
    response = attempt(client, "operator_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:staff-home")
    assert client.get(reverse("core:staff-home")).status_code == 200
    row = AuditLog.objects.get(action="login")
    assert (row.user, row.ip, row.village) == (cast.operator_a, "10.0.0.1", cast.village_a)


def test_the_login_page_is_indonesian_with_labelled_fields(cast, client):
    page = client.get(LOGIN).content.decode()
    assert 'for="id_username">Nama pengguna' in page
    assert 'for="id_password">Kata sandi' in page


def test_signing_in_rotates_the_session_key(cast, client):
    client.get(LOGIN)
    client.session["probe"] = 1
    session = client.session
    session.save()
    before = session.session_key
    attempt(client, "operator_a", PASSWORD)
    assert client.session.session_key != before


def test_unknown_user_wrong_password_and_disabled_account_get_the_same_answer(cast, client):
    cast.head_a.is_active = False
    cast.head_a.save()
    answers = {
        error_text(attempt(client, "nobody", PASSWORD)),
        error_text(attempt(client, "operator_a", "wrong password")),
        error_text(attempt(client, "kades_a", PASSWORD)),
    }
    assert answers == {' role="alert"><p>Nama pengguna atau kata sandi salah.</p>'}


def test_failures_are_audited_under_the_account_tried(cast, client):
    attempt(client, "operator_a", "wrong password")
    attempt(client, "nobody", "wrong password")
    rows = AuditLog.objects.filter(action="login_failed").order_by("id")
    assert [(r.object_id, r.village_id, r.detail["username"]) for r in rows] == [
        (str(cast.operator_a.pk), cast.village_a.pk, "operator_a"),
        ("", None, "nobody"),
    ]
    assert all(r.user is None for r in rows)


def test_repeated_failures_from_one_ip_stop_that_account_there(cast, client):
    for _ in range(LIMITS["account_ip"]):
        attempt(client, "operator_a", "wrong password")
    response = attempt(client, "operator_a", PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit" in error_text(response)
    assert AuditLog.objects.get(action="login_throttled").detail["limit"] == "account_ip"
    # The same account from another address is not affected.
    assert attempt(client, "operator_a", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_throttle_lifts_after_the_window(cast, client):
    with time_machine.travel("2026-03-02 08:00 +0700", tick=False) as clock:
        for _ in range(LIMITS["account_ip"]):
            attempt(client, "operator_a", "wrong password")
        assert attempt(client, "operator_a", PASSWORD).status_code == 200
        clock.shift(16 * 60)
        assert attempt(client, "operator_a", PASSWORD).status_code == 302


def test_one_ip_guessing_many_accounts_is_stopped(cast, client):
    for n in range(LIMITS["ip"]):
        attempt(client, f"guess{n}", "wrong password")
    response = attempt(client, "sekdes_a", PASSWORD)
    assert "Terlalu banyak percobaan" in error_text(response)
    assert AuditLog.objects.filter(action="login_throttled").get().detail["limit"] == "ip"


def test_a_stranger_cannot_lock_the_owner_out_of_a_trusted_device(cast, client, django_user_model):
    from django.test import Client

    assert attempt(client, "operator_a", PASSWORD).status_code == 302
    device_cookie = client.cookies[DEVICE_COOKIE].value
    client.post(reverse("accounts:logout"))

    stranger = Client()
    for n in range(LIMITS["account"]):
        attempt(stranger, "operator_a", "guess", ip=f"192.0.2.{n}")
    # Untrusted clients are now stopped for this account, from any address...
    fresh = attempt(Client(), "operator_a", PASSWORD, ip="198.51.100.7")
    assert "Terlalu banyak percobaan" in error_text(fresh)
    # ...but the owner's browser, holding its device cookie, still gets in.
    owner = Client()
    owner.cookies[DEVICE_COOKIE] = device_cookie
    assert attempt(owner, "operator_a", PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_device_cookie_for_another_account_is_not_trusted(cast, client):
    attempt(client, "operator_a", PASSWORD)
    client.post(reverse("accounts:logout"))
    for _ in range(LIMITS["account_ip"]):
        attempt(client, "sekdes_a", "wrong password")
    assert "Terlalu banyak" in error_text(attempt(client, "sekdes_a", PASSWORD))


def test_a_trusted_device_guessing_is_itself_limited(cast, client):
    attempt(client, "operator_a", PASSWORD)
    client.post(reverse("accounts:logout"))
    for n in range(LIMITS["device"]):
        attempt(client, "operator_a", "wrong password", ip=f"192.0.2.{n}")
    # The device is no longer trusted: it counts as a stranger, per IP.
    for _ in range(LIMITS["account_ip"]):
        attempt(client, "operator_a", "wrong password", ip="192.0.2.201")
    assert "Terlalu banyak" in error_text(attempt(client, "operator_a", PASSWORD, ip="192.0.2.201"))


def test_logging_out_takes_a_post_and_ends_the_session(cast, client):
    attempt(client, "operator_a", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:staff-home")).status_code == 302
    assert AuditLog.objects.filter(action="logout", user=cast.operator_a).exists()


def test_a_disabled_accounts_session_ends_on_its_next_request(cast, client):
    attempt(client, "operator_a", PASSWORD)
    cast.operator_a.is_active = False
    cast.operator_a.save()
    response = client.get(reverse("core:staff-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_the_next_address_is_followed_only_within_the_site(cast, client):
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": "operator_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:staff-home")
    client.post(reverse("accounts:logout"))
    response = client.post(
        LOGIN, {"username": "operator_a", "password": PASSWORD, "next": "/staf/?x=1"}
    )
    assert response["Location"] == "/staf/?x=1"


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_blank_field_is_marked_beside_it(cast, client, field):
    data = {"username": "operator_a", "password": PASSWORD, field: ""}
    page = client.post(LOGIN, data).content.decode()
    assert f'id="id_{field}_error"' in page
    assert not AuditLog.objects.filter(action="login_failed").exists()
