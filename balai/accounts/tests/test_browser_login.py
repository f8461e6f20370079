"""Staff sign-in journeys on a phone-sized chromium."""

import pytest

from balai.accounts.throttle import LIMITS
from balai.core.tests.browser import totp_code

pytestmark = pytest.mark.browser


def test_an_operator_signs_in_and_out(cast, page, browser_login):
    browser_login(page, cast.operator_a)
    assert page.get_by_role("heading", level=1).inner_text() == "Ruang staf"
    assert "Tempursari" in page.locator("main").inner_text()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="Masuk staf").is_visible()


def test_repeated_wrong_passwords_end_in_the_throttling_message(cast, page):
    page.goto("/akun/masuk/")
    for _ in range(LIMITS["account_ip"]):
        page.get_by_label("Nama pengguna").fill("operator_a")
        page.get_by_label("Kata sandi").fill("salah sekali")
        page.get_by_role("button", name="Masuk", exact=True).click()
        assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."
    page.get_by_label("Kata sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk", exact=True).click()
    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith("Terlalu banyak percobaan masuk yang gagal")
    )


def test_the_admin_passes_the_code_step(cast, page):
    page.goto("/akun/masuk/?next=/staf/")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/akun/verifikasi/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Verifikasi dua langkah"
    page.get_by_label("Kode verifikasi").fill(totp_code(cast.admin_totp))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url("**/staf/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ruang staf"


def test_a_new_admin_enrols_with_a_one_time_code_then_the_qr_code(cast, page):
    from base64 import b32decode

    from django_otp.oath import totp

    from balai.accounts.actions import issue_enrolment_code

    cast.admin_totp.delete()
    code = issue_enrolment_code(cast.admin, by=None)
    page.goto("/akun/masuk/?next=/staf/")
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/akun/verifikasi/**")
    assert page.locator("svg").count() == 0  # no secret on the password alone
    page.get_by_label("Kode pendaftaran").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Lanjutkan").click()
    assert "Kode pendaftaran salah" in page.locator("#id_enrolment_code_error").inner_text()
    page.get_by_label("Kode pendaftaran").fill(code)
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_load_state()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Kode verifikasi").fill(str(totp(key)).zfill(6))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url("**/staf/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ruang staf"
