"""The letter queue a clerk works from a phone (issue 11, item 10): search by name,
tracking code or NIK prefix, counts on the staff home, document thumbnails,
WhatsApp/phone links, no empty headings."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from balai.letters import actions
from balai.letters.models import LetterRequest
from balai.letters.tests.world import make_resident, submit
from balai.lib.tests import pdfs
from balai.lib.uploads import clean_pdf

QUEUE = "letters:staff-queue"


def rows(response):
    return list(response.context["page"])


def test_search_by_name_any_word(client, login_as, world):
    siti = submit(world)
    other = make_resident(world.village_a, "3508011005800003", "3508010101090003", "Ahmad Fauzi")
    ahmad = submit(world, resident=other)
    login_as(world.operator_a)
    found = rows(client.get(reverse(QUEUE), {"q": "wahyuni", "status": "all"}))
    assert siti in found and ahmad not in found
    found = rows(client.get(reverse(QUEUE), {"q": "Ahmad", "status": "all"}))
    assert found == [ahmad]


def test_search_by_the_start_of_the_tracking_code(client, login_as, world):
    req = submit(world)
    others = [submit(world) for _ in range(3)]
    login_as(world.operator_a)
    typed = req.grouped_code[:9].lower()  # "ABCD-EFGH" read over the phone
    found = rows(client.get(reverse(QUEUE), {"q": typed}))
    assert req in found
    assert not set(found) & {
        o for o in others if not o.tracking_code.startswith(req.tracking_code[:8])
    }


def test_the_start_of_a_code_without_digits_finds_its_request(client, login_as, world):
    req = submit(world)
    LetterRequest.objects.filter(pk=req.pk).update(tracking_code="ABCDEFGH" + "2" * 20)
    login_as(world.operator_a)
    assert rows(client.get(reverse(QUEUE), {"q": "abcd-efgh"})) == [req]


def test_a_name_that_reads_like_a_code_is_searched_as_a_name(client, login_as, world):
    req = submit(world)  # Siti Wahyuni: "siti" reads as the code start "S1T1"
    login_as(world.operator_a)
    assert rows(client.get(reverse(QUEUE), {"q": "siti"})) == [req]


def test_a_nik_is_searched_by_post_and_never_put_in_a_url(client, login_as, world):
    req = submit(world)
    login_as(world.operator_a)
    response = client.post(reverse(QUEUE), {"q": world.siti.nik[:10], "status": "open"})
    assert response.status_code == 200
    assert rows(response) == [req]
    assert world.siti.nik[:10] not in response.context["page"].query
    # a name posts and comes back as a shareable URL
    response = client.post(reverse(QUEUE), {"q": "siti", "status": "open"})
    assert response.status_code == 302 and "q=siti" in response["Location"]


def test_too_few_digits_get_a_clear_message(client, login_as, world):
    submit(world)
    login_as(world.operator_a)
    response = client.post(reverse(QUEUE), {"q": "3508"}, follow=True)
    assert response.status_code == 200
    assert "paling sedikit 6 angka" in response.content.decode()
    assert rows(response) == []


def test_the_search_stays_in_the_users_villages(client, login_as, world):
    submit(world, resident=world.budi)
    login_as(world.operator_a)
    assert rows(client.get(reverse(QUEUE), {"q": "budi", "status": "all"})) == []


def test_the_staff_home_counts_the_queue_and_the_registry(client, login_as, world):
    submit(world)
    actions.verify_request(submit(world), world.operator_a)
    login_as(world.head_a)
    html = client.get(reverse("core:staff-home")).content.decode()
    assert "2 perlu ditangani" in html
    assert "1 menunggu tanda tangan" in html
    assert reverse("residents:list") in html
    assert reverse("residents:import") in html
    assert "penduduk hidup" in html


def test_contact_links_for_whatsapp_and_phone(client, login_as, world):
    req = submit(world, phone="0812-3456-7890")
    login_as(world.operator_a)
    for url in (reverse(QUEUE), reverse("letters:staff-detail", args=[req.uuid])):
        html = client.get(url).content.decode()
        assert 'href="https://wa.me/6281234567890"' in html
        assert 'href="tel:+6281234567890"' in html


def test_documents_show_as_small_thumbnails(client, login_as, world):
    photo = io.BytesIO()
    Image.new("RGB", (2000, 1500), (10, 120, 200)).save(photo, "JPEG", quality=95)
    req, _ = actions.submit_request(
        village=world.village_a,
        letter_type=world.domisili,
        resident=world.siti,
        purpose="sekolah",
        values={},
        documents=[
            ("ktp", "Foto KTP-el", ContentFile(photo.getvalue(), name="a.jpg")),
            ("kk", "Kartu Keluarga", clean_pdf(SimpleUploadedFile("kk.pdf", pdfs.scan(1, 600)))),
        ],
    )
    login_as(world.operator_a)
    html = client.get(reverse("letters:staff-detail", args=[req.uuid])).content.decode()
    for doc in req.documents.all():
        url = reverse("letters:staff-document-thumb", args=[req.uuid, doc.uuid])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(body)) as small:
            assert max(small.size) <= 320
        assert len(body) < 40_000
    login_as(world.operator_b)
    assert client.get(url).status_code == 404


def test_no_empty_headings_on_the_request_page(client, login_as, world):
    req = submit(world)
    actions.send_back(req, world.operator_a, "Foto KTP buram", to="rejected")
    login_as(world.district_a)
    html = client.get(reverse("letters:staff-detail", args=[req.uuid])).content.decode()
    assert "<h2>Tindakan</h2>" not in html  # nothing to do on a closed request
