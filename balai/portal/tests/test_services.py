"""The village page and the portal with the letters and complaints apps wired in."""

import datetime as dt

import time_machine
from django.utils import timezone

from balai.portal import services


def test_the_village_page_lists_its_letter_services_with_request_links(client, letters_world):
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "Surat Keterangan Domisili" in page
    assert "Foto KTP-el" in page and "Surat pengantar RT/RW (bila ada)" in page
    assert "3 hari kerja" in page
    assert 'href="/surat/ajukan/35.08.01.2001/domisili/"' in page
    assert "Surat Keterangan Domisili" not in client.get("/desa/35.08.02.2001/").content.decode()


def test_a_letter_switched_off_disappears_from_the_page_at_once(client, letters_world):
    from balai.letters.models import VillageLetterType

    assert "Surat Keterangan Usaha" in client.get("/desa/35.08.01.2001/").content.decode()
    offered = VillageLetterType.objects.get(
        village=letters_world.village_a, letter_type__code="usaha"
    )
    offered.enabled = False
    offered.save()
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert "Surat Keterangan Usaha" not in page and "Surat Keterangan Domisili" in page


def test_a_renamed_letter_shows_at_once(client, letters_world):
    from balai.letters.models import LetterType

    client.get("/desa/35.08.01.2001/")
    usaha = LetterType.objects.get(code="usaha")
    usaha.name = "Surat Keterangan Usaha Mikro"
    usaha.save()
    assert "Surat Keterangan Usaha Mikro" in client.get("/desa/35.08.01.2001/").content.decode()


def test_the_village_page_shows_letters_issued_this_month_and_median_time(client, letters_world):
    page = client.get("/desa/35.08.01.2001/").content.decode()
    figures = page[page.index('id="angka"') :]
    assert "<dd>2</dd>" in figures
    assert "1,5 hari" in figures  # median of 20 h and 52 h = 36 h


def test_figures_count_only_this_months_letters(letters_world):
    later = timezone.now() + dt.timedelta(days=40)
    with time_machine.travel(later, tick=False):
        figures = services.public_figures(letters_world.village_a)
    assert figures.letters_this_month == 0


def test_the_complaint_form_is_preset_to_the_village(client, cast, complaint_category):
    page = client.get("/desa/35.08.01.2001/").content.decode()
    assert '<form method="get" action="/aduan/lapor/"' in page
    assert '<input type="hidden" name="village" value="35.08.01.2001">' in page
    assert '<option value="jalan-rusak">Jalan rusak</option>' in page
    step_two = client.get("/aduan/lapor/", {"village": "35.08.01.2001", "category": "jalan-rusak"})
    assert step_two.status_code == 200
    assert 'value="35.08.01.2001" selected' in step_two.content.decode()


def test_the_home_shows_which_letters_each_village_offers(client, letters_world):
    page = client.get("/").content.decode()
    assert "Surat Keterangan Domisili, Surat Keterangan Usaha" in page


def test_the_home_needs_few_queries_with_services(
    client, letters_world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get("/")


def test_the_widget_tracks_a_letter_request(client, letters_world):
    page = client.get("/desa/35.08.01.2001/sematan/").content.decode()
    token = page.split('name="t" value="')[1].split('"')[0]
    code = letters_world.pending.grouped_code
    response = client.post("/desa/35.08.01.2001/sematan/", {"t": token, "kode": code})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Surat Keterangan Domisili" in text and "Menunggu verifikasi" in text
    assert not response.cookies


def test_the_widget_tracks_a_complaint(client, cast, complaint_category):
    from balai.complaints.actions import submit_complaint

    _, code = submit_complaint(
        category=complaint_category, village=cast.village_a, description="Jalan berlubang."
    )
    page = client.get("/desa/35.08.01.2001/sematan/").content.decode()
    token = page.split('name="t" value="')[1].split('"')[0]
    text = client.post("/desa/35.08.01.2001/sematan/", {"t": token, "kode": code}).content.decode()
    assert "Aduan: Jalan rusak" in text


def test_the_sitemap_lists_each_villages_letter_request_pages(client, letters_world):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/surat/ajukan/35.08.01.2001/domisili/</loc>" in xml
    assert "/surat/ajukan/35.08.02.2001/" not in xml


def test_the_home_names_three_letters_and_counts_the_rest(client, letters_world):
    from balai.letters import actions as letter_actions
    from balai.letters.models import LetterType

    letter_actions.enable_types(
        letters_world.village_a, LetterType.objects.values_list("code", flat=True)
    )
    page = client.get("/").content.decode()
    others = LetterType.objects.count() - 3
    assert f"dan {others} layanan lain" in page
