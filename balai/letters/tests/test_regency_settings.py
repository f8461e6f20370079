"""The regency admin's letter settings: saved with their audit row, or not at all."""

import pytest
from django.urls import reverse

from balai.accounts import audit
from balai.accounts.models import AuditLog
from balai.letters.models import LetterSettings

FORMAT = "{klasifikasi}/{nomor}/{kode_desa}/{tahun}"


def test_saving_the_regency_settings_is_audited(client, login_as, cast):
    login_as(cast.admin)
    response = client.post(reverse("letters:type-list"), {"number_format": FORMAT, "paper": "F4"})
    assert response.status_code == 302
    assert LetterSettings.current().paper == "F4"
    row = AuditLog.objects.get(action="letter_settings.regency_changed")
    assert row.user == cast.admin
    assert row.detail["paper"] == "F4"


def test_settings_are_not_saved_when_their_audit_row_cannot_be(client, login_as, cast, monkeypatch):
    login_as(cast.admin)
    before = LetterSettings.current().paper

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        client.post(reverse("letters:type-list"), {"number_format": FORMAT, "paper": "F4"})
    assert LetterSettings.current().paper == before
