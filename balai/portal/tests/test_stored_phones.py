"""Phone numbers kept before balai.lib.phones are rewritten in its one stored form
by a data migration (here the village profiles'; complaints and letters have
theirs); what it cannot read stays as typed."""

import pytest

from balai.core.tests.migrations import migrate_forward, migrated_to
from balai.portal.models import VillageProfile

# (phone, WhatsApp) as typed before, and as stored after.
TYPED = [
    (("0812-3456-7890", "+62 812 3456 7890"), ("6281234567890", "6281234567890")),
    (("(0334) 881234", "6281234567890"), ("62334881234", "6281234567890")),
    (("hubungi kantor desa", ""), ("hubungi kantor desa", "")),  # not a number: kept
]


@pytest.mark.django_db(transaction=True)
def test_village_profiles_phones_are_rewritten_by_the_migration(cast):
    villages = [cast.village_a, cast.village_b, cast.inactive_village]
    old_apps = migrated_to(("portal", "0001_initial"))
    Profile = old_apps.get_model("portal", "VillageProfile")
    for village, ((phone, whatsapp), _stored) in zip(villages, TYPED, strict=True):
        Profile.objects.create(village_id=village.code, phone=phone, whatsapp=whatsapp)

    migrate_forward()

    for village, (_typed, stored) in zip(villages, TYPED, strict=True):
        profile = VillageProfile.objects.get(village=village)
        assert (profile.phone, profile.whatsapp) == stored
