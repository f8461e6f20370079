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
