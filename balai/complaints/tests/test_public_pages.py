"""What residents see: the report form, tracking, the list, map, figures and who handles what."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from balai.complaints import actions
from balai.complaints.choices import Privacy, Status
from balai.complaints.models import Complaint
from balai.lib import tracking

from .conftest import jpeg_upload

XSS = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


def form_data(cast, **extra):
    return {
        "category": "jalan-rusak",
        "village": cast.village_a.code,
        "description": "Jalan berlubang di depan pasar.",
        "privacy": "public",
        "reporter_name": "Siti",
        "reporter_email": "siti@example.com",
        **extra,
    }


def test_step_one_then_similar_open_reports_nearby_are_shown_before_submitting(
    client, cast, cats, file_report
):
    nearby, _ = file_report(latitude=-8.2501, longitude=113.0001)
    far, _ = file_report(latitude=-8.4, longitude=113.2)
    other_kind, _ = file_report(category=cats.garbage, latitude=-8.25, longitude=113.0)
    response = client.get("/aduan/lapor/")
    assert (
        b'name="category"' in response.content
        and b'<textarea name="description"' not in response.content
    )
    response = client.get(
        "/aduan/lapor/",
        {
            "category": "jalan-rusak",
            "village": cast.village_a.code,
            "latitude": "-8.25",
            "longitude": "113.0",
        },
    )
    page = response.content.decode()
    assert nearby.public_id in page
    assert far.public_id not in page and other_kind.public_id not in page
    assert '<textarea name="description"' in page


def test_the_form_offers_active_categories_and_onboarded_villages_of_this_regency(
    client, cast, cats
):
    from balai.complaints.models import Category

    Category.objects.create(code="lama", name="Kategori lama", is_active=False, resolution_days=3)
    html = client.get("/aduan/lapor/").content.decode()
    assert f'<option value="{cats.road.code}">' in html
    assert 'value="lama"' not in html
    assert f'<option value="{cast.village_a.code}">' in html
    assert f'value="{cast.inactive_village.code}"' not in html
    assert f'value="{cast.foreign_village.code}"' not in html


def test_submitting_the_form_shows_the_tracking_code_once(client, cast, cats):
    response = client.post("/aduan/lapor/", form_data(cast, photos=[jpeg_upload()]), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1
    page = response.content.decode()
    code = page.split('id="tracking-code">')[1].split("<")[0]
    assert actions.find_by_tracking_code(code) == complaint
    # The page is the report's own, keyed by the long code: a reload shows it again.
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert code in again and tracking.grouped(complaint.short_ref) in again


def test_a_stored_photo_keeps_no_comment_or_metadata_block(client, cast, cats):
    import io

    from PIL import Image

    from balai.lib.tests.test_uploads import jpeg_segments

    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(
        out, "JPEG", comment=b"<html>Siti, Jl. Mawar 3</html>", exif=exif
    )
    upload = SimpleUploadedFile("foto.jpg", out.getvalue() + b"%PDF-1.4", "image/jpeg")
    client.post("/aduan/lapor/", form_data(cast, photos=[upload]))
    with Complaint.objects.get().photos.get().image.open("rb") as stored:
        markers, trailing = jpeg_segments(stored.read())
    assert trailing == b""
    assert [m for m in markers if m[:2] in ("FE", *(f"E{n:X}" for n in range(16)))] == [
        "E0:b'JFIF\\x00'"
    ]


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(client, cast, cats):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post("/aduan/lapor/", form_data(cast, photos=[fake]))
    assert response.status_code == 200
    assert "bukan foto" in response.content.decode()
    assert not Complaint.objects.exists()


def test_more_than_five_photos_are_refused(client, cast, cats):
    photos = [jpeg_upload(f"f{i}.jpg") for i in range(6)]
    response = client.post("/aduan/lapor/", form_data(cast, photos=photos))
    assert "Paling banyak 5 foto" in response.content.decode()


@pytest.mark.parametrize("village", ["35.09.01.2001", "35.08.01.2002"])
def test_villages_outside_the_regency_or_not_onboarded_are_refused(client, cast, cats, village):
    response = client.post("/aduan/lapor/", form_data(cast, village=village))
    assert "belum bergabung" in response.content.decode()
    assert not Complaint.objects.exists()


def test_submissions_are_rate_limited_per_address(client, cast, cats):
    for _ in range(10):
        client.post("/aduan/lapor/", form_data(cast))
    response = client.post("/aduan/lapor/", form_data(cast))
    assert "Terlalu banyak aduan" in response.content.decode()
    assert Complaint.objects.count() == 10


def test_script_is_shown_as_text_on_every_public_page(client, cast, cats, file_report):
    complaint, code = file_report(description=XSS, address=XSS, reporter_name=XSS)
    actions.verify_complaint(complaint, cast.command_center)
    actions.respond(complaint, cast.agency_officer, XSS)
    pages = [
        client.get("/aduan/"),
        client.get(complaint.get_absolute_url()),
        client.post("/aduan/lacak/", {"code": code}, follow=True),
        client.get("/aduan/peta.geojson"),
    ]
    for response in pages:
        assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;" in pages[1].content


def test_the_public_page_shows_the_timeline_but_no_internal_notes(client, cast, cats, file_report):
    complaint, _ = file_report()
    actions.verify_complaint(complaint, cast.command_center)
    actions.add_note(complaint, cast.agency_officer, "Catatan rahasia petugas")
    actions.start_progress(complaint, cast.agency_officer, "Tim berangkat besok.")
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Tim berangkat besok." in page and "Catatan rahasia petugas" not in page
    assert "Didisposisikan" in page


def test_confidential_reports_have_no_public_page_and_anonymous_ones_no_name(
    client, cast, cats, file_report
):
    secret, _ = file_report(privacy=Privacy.CONFIDENTIAL)
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert secret.public_id not in client.get("/aduan/").content.decode()
    anonymous, _ = file_report(privacy=Privacy.ANONYMOUS, reporter_name="Bambang Sutejo")
    page = client.get(anonymous.get_absolute_url()).content.decode()
    assert "Bambang" not in page and "siti@example.com" not in page


def test_the_reporter_follows_and_confirms_by_tracking_code(client, cast, cats, file_report):
    complaint, code = file_report()
    actions.verify_complaint(complaint, cast.command_center)
    actions.resolve_complaint(complaint, cast.agency_officer, "Sudah ditambal.")
    opened = client.post("/aduan/lacak/", {"code": tracking.grouped(code).lower()}, follow=True)
    page = opened.content.decode()
    assert "Sudah ditambal." in page and "Sudah selesai" in page
    url = opened.redirect_chain[-1][0]
    client.post(url, {"answer": "reopen", "note": "Masih berlubang."})
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_a_wrong_tracking_code_says_so_and_changes_nothing(client, cats):
    response = client.post("/aduan/lacak/", {"code": "AAAA-BBBB", "answer": "confirm"})
    assert "Kode tidak dikenal" in response.content.decode()


def test_the_public_list_uses_a_fixed_number_of_queries(
    client, cats, file_report, django_assert_max_num_queries
):
    for _ in range(15):
        file_report()
    with django_assert_max_num_queries(6):
        response = client.get("/aduan/")
    assert response.content.decode().count('class="card complaint"') == 15


def test_map_geojson_has_only_open_public_points(client, cast, cats, file_report):
    shown, _ = file_report()
    file_report(privacy=Privacy.CONFIDENTIAL)
    data = client.get("/aduan/peta.geojson").json()
    assert [f["properties"]["url"] for f in data["features"]] == [shown.get_absolute_url()]
    assert client.get("/aduan/peta/").status_code == 200


def test_figures_per_category_and_unit(client, cast, cats, file_report):
    complaint, _ = file_report()
    actions.verify_complaint(complaint, cast.command_center)
    actions.start_progress(complaint, cast.agency_officer)
    actions.resolve_complaint(complaint, cast.agency_officer, "Beres.")
    page = client.get("/aduan/angka/").content.decode()
    assert "Jalan rusak" in page and "100%" in page
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in page


def test_who_handles_what_reads_the_routing_table(client, cast, cats):
    page = client.get("/aduan/siapa-menangani/").content.decode()
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in page
    assert "Pemerintah desa/kelurahan setempat" in page


def test_photos_of_confidential_reports_are_not_served_to_strangers(
    client, cast, cats, file_report
):
    public, _ = file_report(photos=[jpeg_upload()])
    secret, _ = file_report(privacy=Privacy.CONFIDENTIAL, photos=[jpeg_upload()])
    response = client.get(f"/aduan/foto/{public.photos.get().public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert client.get(f"/aduan/foto/{secret.photos.get().public_id}/").status_code == 404


def test_the_csv_export_keeps_formulas_and_script_as_text(client, cast, cats, file_report):
    import csv
    import io

    file_report(description='=HYPERLINK("http://evil","klik")')
    file_report(description=XSS)
    file_report(privacy=Privacy.CONFIDENTIAL, description="rahasia")
    response = client.get("/aduan/ekspor.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    descriptions = {row[-1] for row in rows[1:]}
    assert descriptions == {'\'=HYPERLINK("http://evil","klik")', XSS}


def test_figures_give_the_median_hours_to_first_response_and_on_time_share(cast, cats, file_report):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from balai.complaints import stats

    monday = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    for hours in (1, 2, 6):
        complaint, _ = file_report(now=monday)
        actions.verify_complaint(complaint, cast.command_center, now=monday)
        actions.start_progress(complaint, cast.agency_officer, now=monday + timedelta(hours=hours))
        actions.resolve_complaint(
            complaint, cast.agency_officer, "Beres.", now=monday + timedelta(days=hours)
        )
    figures = stats.compute(now=monday + timedelta(days=10))
    [road] = figures["categories"]
    assert road["total"] == 3 and road["median_response_hours"] == 2.0
    assert road["resolved"] == 3 and road["on_time_percent"] == 100
    [unit] = figures["units"]
    assert unit["label"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert unit["median_response_hours"] == 2.0


def test_behind_the_proxy_each_visitor_has_its_own_tracking_limit(settings, client, cats):
    """Every visitor reaches the app from the proxy's address: the limit follows the client's."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(31):
        page = client.post(
            "/aduan/lacak/", {"code": "X"}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy
        )
    assert "Terlalu banyak percobaan" in page.content.decode()
    other = client.post(
        "/aduan/lacak/", {"code": "X"}, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert "Terlalu banyak percobaan" not in other.content.decode()


def test_the_list_and_its_csv_filter_alike_even_by_a_retired_category(
    client, cast, cats, file_report
):
    import csv
    import io

    from balai.lib.tables import csv_safe

    kept, _ = file_report(category=cats.garbage, description="Sampah di pasar.")
    file_report(description="Jalan lain.")
    cats.garbage.is_active = False
    cats.garbage.save()
    for query in ("?kategori=sampah", "?kategori=sampah&status=received", "?kategori=tidak-ada"):
        page = client.get("/aduan/" + query).content.decode()
        rows = list(
            csv.reader(io.StringIO(client.get("/aduan/ekspor.csv" + query).content.decode()))
        )
        in_csv = {row[0] for row in rows[1:]}
        # A random id may begin with "-": the export writes it as text (lib/tables.csv_safe).
        in_list = {csv_safe(c.public_id) for c in (kept,) if c.public_id in page}
        assert in_list == in_csv, query
    assert kept.public_id in client.get("/aduan/?kategori=sampah").content.decode()
