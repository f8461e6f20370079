"""The registry's counts on the staff home."""

from django import template
from django.core.cache import cache

from balai.residents.choices import ImportStatus
from balai.residents.models import Family, Resident, ResidentImport
from balai.residents.roles import READERS, WRITERS

register = template.Library()

COUNT_SECONDS = 60  # a regency's million rows are counted at most once a minute


@register.simple_tag
def registry_counts(user) -> dict:
    """{residents, families, import} in `user`'s area; {} for roles that read no registry."""
    if user.role not in READERS:
        return {}
    key = f"registry-counts:{user.role}:{user.village_id}:{user.district_id}"
    counts = cache.get(key)
    if counts is None:
        counts = {
            "residents": Resident.objects.for_user(user).alive().count(),
            "families": Family.objects.for_user(user).count(),
        }
        cache.set(key, counts, COUNT_SECONDS)
    if user.role in WRITERS:
        last = ResidentImport.objects.for_user(user).values_list("status", flat=True).first()
        counts = {**counts, "import_running": last in (ImportStatus.QUEUED, ImportStatus.RUNNING)}
    return counts
