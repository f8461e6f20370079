import pytest
from django.core.management import CommandError, call_command

from balai.accounts.models import AuditLog
from balai.regions.models import Village


def test_it_onboards_a_village_and_audits_it(cast):
    call_command("onboard_village", "35.08.01.2002")
    village = Village.objects.get(code="35.08.01.2002")
    assert village.is_active and village.activated_at is not None
    assert AuditLog.objects.filter(action="village_onboarded", village=village).count() == 1


def test_unknown_or_foreign_codes_change_nothing(cast):
    with pytest.raises(CommandError, match="not a village of this regency: 35.09.01.2001"):
        call_command("onboard_village", "35.08.01.2002", "35.09.01.2001")
    assert not Village.objects.get(code="35.08.01.2002").is_active


def test_the_public_home_lists_active_villages_only(client, cast):
    page = client.get("/").content.decode()
    assert "Tempursari" in page and "Sidomulyo" in page
    assert "Pundungsari" not in page  # not onboarded
    assert "Jombang" not in page  # another regency
