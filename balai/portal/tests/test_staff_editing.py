import pytest

from balai.accounts.models import AuditLog
from balai.portal.models import Announcement, VillageProfile

PROFILE = {
    "head_name": "Sutrisno",
    "address": "Jl. Raya 1",
    "office_hours": "Senin-Jumat 08.00-15.00",
    "phone": "0334 123456",
    "whatsapp": "0812 3456 7890",
    "email": "desa@example.id",
    "latitude": "-8.3125",
    "longitude": "113.0123",
    "about": "Desa pesisir.",
}
ANNOUNCEMENT = {
    "title": "Kerja bakti",
    "body": "Minggu pagi di balai desa.",
    "publish_at": "2026-11-01T08:00",
    "expires_at": "",
}


def staff_pages(village_code, announcement="x"):
    base = f"/staf/desa/{village_code}"
    return [
        f"{base}/profil/",
        f"{base}/pengumuman/",
        f"{base}/pengumuman/baru/",
        f"{base}/pengumuman/{announcement}/",
        f"{base}/sematkan/",
    ]


def test_village_staff_edit_their_profile_and_it_is_audited(client, login_as, cast):
    login_as(cast.operator_a)
    response = client.post("/staf/desa/35.08.01.2001/profil/", PROFILE)
    assert response.status_code == 302
    profile = VillageProfile.objects.get(village=cast.village_a)
    assert profile.head_name == "Sutrisno" and str(profile.latitude) == "-8.312500"
    # Numbers in the one form of every app (balai/lib/phones.py), shown readable.
    assert (profile.phone, profile.whatsapp) == ("62334123456", "6281234567890")
    row = AuditLog.objects.get(action="village_profile_updated")
    assert row.user == cast.operator_a and row.village_id == "35.08.01.2001"
    assert "head_name" in row.detail["fields"]
    assert "Sutrisno" in client.get("/desa/35.08.01.2001/").content.decode()


def test_the_profile_form_explains_errors_beside_the_field(client, login_as, cast):
    login_as(cast.secretary_a)
    data = {**PROFILE, "whatsapp": "bukan nomor", "latitude": "-8.3", "longitude": ""}
    page = client.post("/staf/desa/35.08.01.2001/profil/", data).content.decode()
    assert "Nomor telepon tidak sah; tulis seperti 0812 3456 7890." in page
    assert "Isi lintang dan bujur bersama-sama" in page
    assert not AuditLog.objects.filter(action="village_profile_updated").exists()


def test_staff_publish_edit_and_delete_announcements_with_audit(client, login_as, cast, photo):
    login_as(cast.head_a)
    response = client.post(
        "/staf/desa/35.08.01.2001/pengumuman/baru/", {**ANNOUNCEMENT, "image": photo()}
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.village == cast.village_a and announcement.created_by == cast.head_a
    assert announcement.image.name.endswith(".jpg")
    assert "foto" not in announcement.image.name  # the uploaded name is not kept
    edit = f"/staf/desa/35.08.01.2001/pengumuman/{announcement.token}/"
    client.post(edit, {**ANNOUNCEMENT, "title": "Kerja bakti massal", "remove_image": "on"})
    announcement.refresh_from_db()
    assert announcement.title == "Kerja bakti massal" and not announcement.image
    client.post(edit + "hapus/")
    assert not Announcement.objects.exists()
    actions = list(
        AuditLog.objects.filter(action__startswith="announcement_")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["announcement_created", "announcement_updated", "announcement_deleted"]


def test_a_file_that_is_not_a_photo_is_refused_beside_the_field(client, login_as, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_as(cast.operator_a)
    fake = SimpleUploadedFile("foto.jpg", b"<html><script>x</script>", content_type="image/jpeg")
    page = client.post(
        "/staf/desa/35.08.01.2001/pengumuman/baru/", {**ANNOUNCEMENT, "image": fake}
    ).content.decode()
    assert "Berkas ini bukan foto yang dapat dibaca (JPG atau PNG)." in page
    assert not Announcement.objects.exists()


def test_an_expiry_before_the_start_is_refused(client, login_as, cast):
    login_as(cast.operator_a)
    data = {**ANNOUNCEMENT, "expires_at": "2026-10-01T08:00"}
    page = client.post("/staf/desa/35.08.01.2001/pengumuman/baru/", data).content.decode()
    assert "Tanggal berakhir harus sesudah tanggal mulai tayang." in page


@pytest.mark.parametrize("index", range(5))
def test_other_villages_staff_get_404(client, login_as, cast, index):
    other = Announcement.objects.create(village=cast.village_b, title="B", body="b")
    login_as(cast.operator_a)
    url = staff_pages("35.08.02.2001", other.token)[index]
    assert client.get(url).status_code == 404
    assert client.post(url, {**PROFILE, **ANNOUNCEMENT}).status_code == 404
    other.refresh_from_db()
    assert other.title == "B"


def test_another_villages_announcement_under_ones_own_code_is_404(client, login_as, cast):
    other = Announcement.objects.create(village=cast.village_b, title="B", body="b")
    login_as(cast.operator_a)
    url = f"/staf/desa/35.08.01.2001/pengumuman/{other.token}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "hapus/").status_code == 404
    assert Announcement.objects.filter(pk=other.pk).exists()
    assert AuditLog.objects.filter(action="access_denied").exists()


@pytest.mark.parametrize("role", ["district_a", "agency_officer", "command_center", "outsider"])
def test_other_roles_get_403(client, login_as, cast, announcement_a, role):
    login_as(getattr(cast, role))
    for url in staff_pages("35.08.01.2001", announcement_a.token):
        assert client.get(url).status_code == 403, url
    assert client.post(staff_pages("35.08.01.2001")[0], PROFILE).status_code == 403


def test_signed_out_visitors_are_sent_to_the_login(client, cast):
    response = client.get("/staf/desa/35.08.01.2001/profil/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/")


def test_the_staff_home_links_to_the_village_page_tools(client, login_as, cast):
    login_as(cast.operator_a)
    page = client.get("/staf/").content.decode()
    assert 'href="/staf/desa/35.08.01.2001/profil/"' in page
    assert 'href="/staf/desa/35.08.01.2001/sematkan/"' in page
