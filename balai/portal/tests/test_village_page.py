from datetime import timedelta

import time_machine
from django.utils import timezone

from balai.portal import actions
from balai.portal.models import Announcement

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_it_shows_the_village_profile(client, cast, profile_a):
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "<h1>Desa Tempursari</h1>" in page
    assert "Kecamatan Tempursari" in page
    assert "Sutrisno" in page and "Jl. Raya Tempursari No. 1" in page
    assert "Senin-Jumat 08.00-15.00" in page
    assert 'href="tel:+62334123456"' in page  # one form: balai/lib/phones.py
    assert 'href="https://wa.me/6281234567890"' in page
    assert "mailto:pemdes@tempursari.desa.id" in page
    assert "openstreetmap.org/?mlat=-8.312500&amp;mlon=113.012300" in page
    assert '<a href="https://tempursari.desa.id" rel="nofollow">' in page


def test_a_village_without_a_profile_still_has_a_page(client, cast):
    response = client.get("/desa/35.08.02.2001/")
    assert response.status_code == 200
    assert "Desa belum melengkapi profilnya." in response.content.decode()


def test_an_unknown_code_gets_an_indonesian_404(client, cast):
    response = client.get("/desa/35.08.99.9999/")
    assert response.status_code == 404
    assert "Desa tidak ditemukan" in response.content.decode()
    assert "35.08.99.9999" in response.content.decode()


def test_a_village_not_onboarded_or_of_another_regency_gets_a_404(client, cast):
    assert client.get("/desa/35.08.01.2002/").status_code == 404  # not onboarded
    assert client.get("/desa/35.09.01.2001/").status_code == 404  # Jember


def test_markup_in_profile_and_announcements_is_shown_as_text(client, cast, profile_a):
    profile_a.about = SCRIPT + " lihat javascript:alert(1)"
    profile_a.head_name = SCRIPT
    profile_a.save()
    Announcement.objects.create(village=cast.village_a, title=SCRIPT, body=SCRIPT)
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "<script>alert" not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_it_shows_only_current_announcements(client, cast):
    now = timezone.now()
    Announcement.objects.create(village=cast.village_a, title="Sedang tayang", body="a")
    Announcement.objects.create(
        village=cast.village_a,
        title="Belum tayang",
        body="b",
        publish_at=now + timedelta(days=1),
    )
    Announcement.objects.create(
        village=cast.village_a,
        title="Sudah berakhir",
        body="c",
        publish_at=now - timedelta(days=10),
        expires_at=now - timedelta(days=1),
    )
    Announcement.objects.create(village=cast.village_b, title="Milik Sidomulyo", body="d")
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "Sedang tayang" in page
    assert "Belum tayang" not in page and "Sudah berakhir" not in page
    assert "Milik Sidomulyo" not in page


def test_a_scheduled_announcement_appears_once_its_time_comes(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Announcement.objects.create(
            village=cast.village_a,
            title="Kerja bakti",
            body="Minggu pagi.",
            publish_at=start + timedelta(hours=2),
        )
        assert "Kerja bakti" not in client.get("/desa/35.08.01.2001/").content.decode()
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        assert "Kerja bakti" in client.get("/desa/35.08.01.2001/").content.decode()


def test_an_edit_shows_at_once_although_the_page_is_cached(client, cast, profile_a):
    assert "Sutrisno" in client.get("/desa/35.08.01.2001/").content.decode()
    actions.save_profile(profile_a, {"head_name": "Wahyudi"}, by=cast.operator_a)
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "Wahyudi" in page and "Sutrisno" not in page


def test_a_cached_village_page_needs_few_queries(
    client, cast, profile_a, announcement_a, django_assert_max_num_queries
):
    client.get("/desa/35.08.01.2001/")
    with django_assert_max_num_queries(1):  # one cache read: the village and its fragment
        assert client.get("/desa/35.08.01.2001/").status_code == 200


def test_the_announcement_photo_is_served_while_the_announcement_is_current(client, cast, photo):
    from balai.lib.uploads import clean_image

    announcement = actions.publish_announcement(
        cast.village_a,
        {"title": "Foto", "body": "x", "publish_at": timezone.now(), "expires_at": None},
        image=clean_image(photo()),
        by=cast.operator_a,
    )
    url = f"/desa/35.08.01.2001/pengumuman/{announcement.token}/foto"
    assert url in client.get("/desa/35.08.01.2001/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert (
        client.get(f"/desa/35.08.02.2001/pengumuman/{announcement.token}/foto").status_code == 404
    )
    announcement.expires_at = timezone.now() - timedelta(seconds=1)
    announcement.publish_at = timezone.now() - timedelta(days=1)
    announcement.save()
    assert client.get(url).status_code == 404


def test_the_page_does_not_allow_framing(client, cast):
    response = client.get("/desa/35.08.01.2001/")
    assert response["X-Frame-Options"] == "DENY"
