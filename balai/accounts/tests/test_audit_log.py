import pytest

from balai.accounts import audit
from balai.accounts.models import AuditLog


def test_a_row_cannot_be_changed_or_deleted(cast):
    row = audit.record("resident_viewed", cast.village_a, user=cast.operator_a)
    row.action = "nothing_happened"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=row.pk).action == "resident_viewed"


def test_it_records_who_role_village_and_object(cast):
    row = audit.record("village_viewed", cast.village_a, user=cast.head_a, detail={"why": "test"})
    assert (row.username, row.role) == ("kades_a", "village_head")
    assert row.village_id == "35.08.01.2001"
    assert (row.object_type, row.object_id) == ("regions.village", "35.08.01.2001")
    assert row.detail == {"why": "test"}


def test_behind_the_proxy_a_client_cannot_choose_its_own_address(settings, rf):
    """The proxy appends the address it saw; what the client sent before it is not trusted."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forged = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7", REMOTE_ADDR="127.0.0.1")
    assert audit.client_ip(forged) == "198.51.100.7"
    direct = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.8", REMOTE_ADDR="127.0.0.1")
    assert audit.client_ip(direct) == "198.51.100.8"


def test_without_a_proxy_the_forwarded_header_is_ignored(settings, rf):
    settings.SECURE_PROXY_SSL_HEADER = None
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9", REMOTE_ADDR="198.51.100.9")
    assert audit.client_ip(request) == "198.51.100.9"


def test_a_forwarded_value_that_is_no_address_falls_back_to_the_peer(settings, rf):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-ip", REMOTE_ADDR="127.0.0.1")
    assert audit.client_ip(request) == "127.0.0.1"
