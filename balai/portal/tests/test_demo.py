from io import StringIO

from balai.portal.models import Announcement, VillageProfile


def test_the_demo_gives_each_demo_village_a_profile_and_an_announcement(cast):
    from balai.accounts.actions import onboard_villages
    from balai.portal.demo import seed
    from balai.regions.demo import demo_villages

    onboard_villages([v.code for v in demo_villages()])
    seed(StringIO())
    seed(StringIO())  # idempotent
    villages = demo_villages()
    assert VillageProfile.objects.filter(village__in=villages).count() == len(villages)
    assert Announcement.objects.filter(village__in=villages).count() == len(villages)
    profile = VillageProfile.objects.get(village=villages[0])
    assert profile.head_name and profile.whatsapp_link.startswith("https://wa.me/62")
