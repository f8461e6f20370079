from django.db import transaction
from django.utils import timezone

from balai.accounts import audit
from balai.regions.models import Village


class VillageCodeError(ValueError):
    pass


def onboard_villages(codes: list[str], by=None) -> list[Village]:
    """Make these villages of the regency active; all or none."""
    villages = {v.code: v for v in Village.objects.in_regency().filter(code__in=codes)}
    unknown = [code for code in codes if code not in villages]
    if unknown:
        raise VillageCodeError(f"not a village of this regency: {', '.join(unknown)}")
    with transaction.atomic():
        for village in villages.values():
            if not village.is_active:
                village.is_active = True
                village.activated_at = timezone.now()
                village.save(update_fields=["is_active", "activated_at"])
                audit.record("village_onboarded", village, user=by)
    return list(villages.values())
