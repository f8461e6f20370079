"""Staff journeys on a phone: the audit log and the admin's API tokens."""

import pytest

from balai.accounts.models import ApiToken, token_digest

pytestmark = pytest.mark.browser


def test_an_operator_reads_their_villages_log_and_filters_it(cast, page, browser_login):
    browser_login(page, cast.operator_a)
    page.get_by_role("link", name="Log audit").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Log audit"
    page.get_by_label("Tindakan").select_option("login")
    page.get_by_role("button", name="Saring").click()
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 1
    assert "operator_a" in rows.first.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the log page scrolls sideways; only its table may"


def test_the_admin_creates_a_token_sees_it_once_and_revokes_it(cast, page, browser_login):
    browser_login(page, cast.admin)
    page.get_by_role("link", name="Token API").click()
    page.get_by_label("Pemilik token").select_option(label="operator_a (Operator desa)")
    page.get_by_label("Baca permohonan surat").check()
    page.get_by_label("Berlaku (hari)").fill("30")
    page.get_by_role("button", name="Buat token").click()
    value = page.locator(".new-token code").inner_text()
    assert ApiToken.objects.get().digest == token_digest(value)
    page.reload()
    assert page.locator(".new-token").count() == 0
    page.get_by_role("button", name="Cabut").click()
    assert "dicabut" in page.get_by_role("status").inner_text()
    assert ApiToken.objects.get().revoked_at is not None
