from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _forget_village(sender, instance, **kwargs):
    from balai.portal import pages

    pages.forget(instance.village_id)


def _forget_villages_offering(sender, instance, **kwargs):
    from balai.letters.models import VillageLetterType
    from balai.portal import pages

    codes = VillageLetterType.objects.filter(letter_type=instance).values_list(
        "village_id", flat=True
    )
    for code in codes:
        pages.forget(code)


def _head_and_address(village_code: str) -> tuple[str, str]:
    from balai.portal.models import VillageProfile

    found = (
        VillageProfile.objects.filter(village_id=village_code)
        .values_list("head_name", "address")
        .first()
    )
    return found or ("", "")


class PortalConfig(AppConfig):
    name = "balai.portal"
    verbose_name = _("Halaman desa")

    def ready(self):
        # A village page lists the letters its village offers: when the letters
        # app switches one on or off or renames it, the cached page goes at once
        # (other changes show within PAGE_CACHE_SECONDS).
        from balai.letters.document import read_village_profile_from
        from balai.letters.models import LetterType, VillageLetterType

        # A letter is signed with the head's name and headed with the office
        # address that the village keeps in its profile.
        read_village_profile_from(_head_and_address)

        post_save.connect(_forget_village, VillageLetterType, dispatch_uid="portal-vlt-save")
        post_delete.connect(_forget_village, VillageLetterType, dispatch_uid="portal-vlt-del")
        post_save.connect(_forget_villages_offering, LetterType, dispatch_uid="portal-lt-save")
