"""TOTP: required for regency admins, asked of anyone who set it up, throttled."""

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.accounts.models import AuditLog
from balai.core.tests.browser import totp_code

PASSWORD = "correct horse battery"
VERIFY = "/akun/verifikasi/"


def sign_in(client, username):
    response = client.post("/akun/masuk/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_an_admin_is_held_at_the_code_step_until_verified(cast, client):
    sign_in(client, "admin")
    response = client.get("/staf/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fstaf%2F"
    assert client.get("/admin/").status_code == 302


def test_the_current_code_lets_the_admin_in(cast, client):
    sign_in(client, "admin")
    before = client.session.session_key
    response = client.post(VERIFY, {"code": totp_code(cast.admin_totp), "next": "/staf/"})
    assert response["Location"] == "/staf/"
    assert client.get("/staf/").status_code == 200
    assert client.session.session_key != before
    assert AuditLog.objects.filter(action="second_factor_verified", user=cast.admin).exists()


def test_a_wrong_code_is_refused_beside_the_field_and_audited(cast, client):
    sign_in(client, "admin")
    page = client.post(VERIFY, {"code": "000000"}).content.decode()
    assert 'id="id_code_error">Kode salah atau sudah kedaluwarsa' in page
    assert client.get("/staf/").status_code == 302
    assert AuditLog.objects.filter(action="second_factor_failed", user=cast.admin).exists()


def test_guessing_codes_is_throttled(cast, client):
    sign_in(client, "admin")
    with time_machine.travel("2026-03-02 08:00 +0700", tick=False):
        client.post(VERIFY, {"code": "000000"})
        page = client.post(VERIFY, {"code": totp_code(cast.admin_totp)}).content.decode()
    assert "Terlalu banyak kode salah" in page
    assert client.get("/staf/").status_code == 302


def test_a_code_cannot_be_used_twice(cast, client):
    from django.test import Client

    with time_machine.travel("2026-03-02 08:00 +0700", tick=False):
        code = totp_code(cast.admin_totp)
        sign_in(client, "admin")
        assert client.post(VERIFY, {"code": code})["Location"] == "/staf/"
        other = Client()
        sign_in(other, "admin")
        assert other.post(VERIFY, {"code": code}).status_code == 200


def issue_code(username: str, *extra: str) -> str:
    """An enrolment code from `balai issue-enrolment-code`, as the server operator sees it."""
    out = io.StringIO()
    call_command("issue_enrolment_code", username, *extra, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_the_password_alone_cannot_enrol_an_admins_authenticator(cast, client):
    cast.admin_totp.delete()
    sign_in(client, "admin")
    page = client.get(VERIFY).content.decode()
    assert "Kode pendaftaran" in page
    assert "<svg" not in page and 'class="secret"' not in page
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()  # no secret made yet
    page = client.post(VERIFY, {"enrolment_code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "Kode pendaftaran salah, sudah dipakai, atau kedaluwarsa" in page
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()
    assert client.get("/staf/").status_code == 302
    assert AuditLog.objects.filter(action="second_factor_code_refused", user=cast.admin).exists()


def test_an_enrolment_code_lets_an_admin_set_up_a_device_once(cast, client):
    from django.test import Client

    cast.admin_totp.delete()
    code = issue_code("admin")
    issued = AuditLog.objects.get(action="second_factor_code_issued")
    assert issued.object_id == str(cast.admin.pk) and issued.user is None  # from the command
    assert code not in str(issued.detail)
    sign_in(client, "admin")
    response = client.post(VERIFY, {"enrolment_code": code.lower(), "next": "/staf/"})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    page = client.get(VERIFY).content.decode()
    assert "<svg" in page and 'class="secret"' in page
    device = TOTPDevice.objects.get(user=cast.admin, confirmed=False)
    assert client.get(VERIFY).status_code == 200  # same device shown again
    assert TOTPDevice.objects.filter(user=cast.admin).count() == 1
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/staf/"})
    assert response["Location"] == "/staf/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staf/").status_code == 200
    actions = AuditLog.objects.filter(user=cast.admin).values_list("action", flat=True)
    assert {"second_factor_code_used", "second_factor_enrolled"} <= set(actions)
    # The same code again, in another browser: refused.
    TOTPDevice.objects.filter(user=cast.admin).delete()
    other = Client()
    sign_in(other, "admin")
    page = other.post(VERIFY, {"enrolment_code": code}).content.decode()
    assert "Kode pendaftaran salah, sudah dipakai, atau kedaluwarsa" in page
    assert "<svg" not in other.get(VERIFY).content.decode()


def test_an_expired_or_replaced_enrolment_code_is_refused(cast, client):
    cast.admin_totp.delete()
    with time_machine.travel("2026-03-02 08:00 +0700", tick=False):
        old = issue_code("admin", "--minutes", "15")
        replacing = issue_code("admin")
    sign_in(client, "admin")
    with time_machine.travel("2026-03-02 08:10 +0700", tick=False):
        page = client.post(VERIFY, {"enrolment_code": old}).content.decode()
        assert "sudah dipakai, atau kedaluwarsa" in page  # replaced by the second code
    with time_machine.travel("2026-03-02 09:00 +0700", tick=False):
        page = client.post(VERIFY, {"enrolment_code": replacing}).content.decode()
        assert "sudah dipakai, atau kedaluwarsa" in page  # 30 minutes by default
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()


def test_guessing_enrolment_codes_is_throttled(cast, client):
    cast.admin_totp.delete()
    code = issue_code("admin")
    sign_in(client, "admin")
    for _ in range(5):
        client.post(VERIFY, {"enrolment_code": "AAAA-BBBB-CCCC"})
    page = client.post(VERIFY, {"enrolment_code": code}).content.decode()
    assert "Terlalu banyak kode salah" in page
    assert "<svg" not in client.get(VERIFY).content.decode()


def test_the_command_refuses_unknown_or_disabled_accounts(cast):
    with pytest.raises(CommandError, match="no active account"):
        issue_code("tidak-ada")
    cast.admin.is_active = False
    cast.admin.save()
    with pytest.raises(CommandError, match="no active account"):
        issue_code("admin")
    assert not AuditLog.objects.filter(action="second_factor_code_issued").exists()


def test_other_staff_need_a_code_only_once_they_set_up_a_device(cast, client):
    sign_in(client, "operator_a")
    assert client.get("/staf/").status_code == 200
    client.post(reverse("accounts:logout"))
    device = TOTPDevice.objects.create(user=cast.operator_a, name="default", confirmed=True)
    sign_in(client, "operator_a")
    assert client.get("/staf/").status_code == 302
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.get("/staf/").status_code == 200


def test_the_code_page_needs_a_signed_in_user(db, client):
    response = client.get(VERIFY)
    assert response["Location"].startswith("/akun/masuk/")


def test_other_staff_may_turn_on_a_second_factor(cast, login_as, client):
    login_as(cast.operator_a)
    assert "<svg" in client.get(VERIFY).content.decode()
    device = TOTPDevice.objects.get(user=cast.operator_a, confirmed=False)
    assert client.post(VERIFY, {"code": totp_code(device)})["Location"] == "/staf/"
    device.refresh_from_db()
    assert device.confirmed
    assert "Verifikasi dua langkah aktif" in client.get("/staf/").content.decode()
