"""The cached part of a village page: everything that is the same for every visitor.

The fragment holds no CSRF token, session or host-specific address, so one
copy per village and language serves everyone; base.html around it is cheap.
Changes through actions.py drop the copy at once; letters and announcements
that start or end on a timer show within PAGE_CACHE_SECONDS.
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from balai.portal import services
from balai.portal.choices import PAGE_CACHE_SECONDS
from balai.portal.models import Announcement, VillageProfile

ANNOUNCEMENTS_SHOWN = 5


# Raise when the cached value changes shape, so a deployment never reads old entries.
CACHE_FORMAT = 3


def _key(code: str, language: str) -> str:
    return f"portal:village-page:v{CACHE_FORMAT}:{code}:{language}"


def forget(code: str) -> None:
    cache.delete_many([_key(code, language) for language, _ in settings.LANGUAGES])


def village_context(village) -> dict:
    profile = VillageProfile.objects.filter(village=village).first()
    announcements = list(
        Announcement.objects.filter(village=village).current()[:ANNOUNCEMENTS_SHOWN]
    )
    return {
        "village": village,
        "profile": profile,
        "announcements": announcements,
        "services": services.letter_services(village),
        "complaint": services.complaint_form(village),
        "figures": services.public_figures(village),
    }


def active_village(code: str):
    from balai.regions.models import Village

    return Village.objects.active().select_related("district").filter(code=code).first()


def village_page(code: str):
    """(village, rendered fragment) for an onboarded village, else None; cached together.

    A hit costs one cache read and no other query. A village taken off Balai
    drops out within PAGE_CACHE_SECONDS.
    """
    key = _key(code, translation.get_language() or settings.LANGUAGE_CODE)
    hit = cache.get(key)
    if hit is not None:
        return hit
    village = active_village(code)
    if village is None:
        return None
    hit = (village, render_to_string("portal/_village_body.html", village_context(village)))
    cache.set(key, hit, PAGE_CACHE_SECONDS)
    return hit


def description(village) -> str:
    """One sentence for search results and link previews."""
    return translation.gettext(
        "Layanan %(village)s, Kecamatan %(district)s: minta surat, sampaikan aduan, "
        "baca pengumuman desa."
    ) % {"village": village, "district": village.district.name}
