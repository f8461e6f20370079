import datetime as dt

from django.core import signing
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.cctv.state import apply_results, snapshot_name
from balai.cctv.tests.conftest import result
from balai.lib import storage

JPEG = b"\xff\xd8\xff\xe0fake-jpeg-bytes\xff\xd9"


def test_the_board_lists_trouble_longest_first_and_refreshes_by_fragment(
    cast, cams, login_as, client, settings
):
    settings.BALAI_CCTV_FLAP_COUNT = 1
    now = dt.datetime.now(dt.UTC)
    apply_results([result(cams.field, "unreachable", at=now - dt.timedelta(hours=2))])
    apply_results([result(cams.gate, "frozen", at=now - dt.timedelta(minutes=5))])
    apply_results([result(cams.other, "unreachable", at=now)])
    login_as(cast.operator_a)
    page = client.get(reverse("cctv:board")).content.decode()
    assert page.index("Lapangan") < page.index("Gerbang")
    assert "Balai B" not in page  # another village's camera
    assert 'src="/static/cctv/board.js"' in page and "<script>" not in page
    assert 'href="/cctv/"' in page  # the refresh link for browsers without JS
    fragment = client.get(reverse("cctv:board-fragment")).content.decode()
    assert "<html" not in fragment and "Lapangan" in fragment
    client.logout()
    login_as(cast.command_center)
    assert "Balai B" in client.get(reverse("cctv:board")).content.decode()


def test_a_camera_page_draws_its_history_as_svg(cast, cams, login_as, client, settings):
    settings.BALAI_CCTV_FLAP_COUNT = 1
    now = dt.datetime.now(dt.UTC)
    apply_results([result(cams.field, at=now - dt.timedelta(hours=3))])
    apply_results([result(cams.field, "unreachable", at=now - dt.timedelta(hours=2))])
    apply_results([result(cams.field, at=now - dt.timedelta(hours=1))])
    login_as(cast.operator_a)
    page = client.get(reverse("cctv:camera", args=[cams.field.public_id])).content.decode()
    assert page.count('<rect class="down"') == 1 and page.count('<rect class="up"') == 2
    assert "1 kali tersambung kembali" in page


def test_a_snapshot_is_seen_through_a_short_signed_link_with_an_audited_reason(
    cast, cams, login_as, client, time_machine
):
    storage.replace(snapshot_name(cams.gate), JPEG)
    login_as(cast.operator_a)
    detail = client.get(reverse("cctv:camera", args=[cams.gate.public_id])).content.decode()
    assert "rtsp://" not in detail  # the camera's address never reaches the page
    url = reverse("cctv:snapshot-request", args=[cams.gate.public_id])
    response = client.post(url, {"reason": "Cek kejadian pencurian motor"})
    link = response["Location"]
    assert b"".join(client.get(link).streaming_content) == JPEG
    row = AuditLog.objects.get(action="camera_snapshot_viewed")
    assert row.user == cast.operator_a and row.detail == {"reason": "Cek kejadian pencurian motor"}
    # Someone else cannot use the link; nor can anyone once it is stale.
    client.logout()
    login_as(cast.secretary_a)
    assert client.get(link).status_code == 403
    client.logout()
    login_as(cast.operator_a)
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6))
    assert client.get(link).status_code == 403
    forged = signing.TimestampSigner(salt="other").sign_object({"c": str(cams.gate.public_id)})
    assert client.get(reverse("cctv:snapshot", args=[forged])).status_code == 403


def test_no_reason_no_snapshot(cast, cams, login_as, client):
    login_as(cast.operator_a)
    client.post(reverse("cctv:snapshot-request", args=[cams.gate.public_id]), {"reason": ""})
    assert not AuditLog.objects.filter(action="camera_snapshot_viewed").exists()


def test_the_public_village_page_lists_public_cameras_with_the_pdp_notice(cams, client):
    page = client.get(reverse("cctv:village", args=[cams.gate.village_id])).content.decode()
    assert "Gerbang" in page and "Pasar" not in page  # staff-only camera
    assert "Pasal 17" in page and "Operator desa, 0812-0000-0000" in page and "30 hari" in page
    assert "rtsp://" not in page and "gambar/" not in page
    village_page = client.get(reverse("portal:village", args=[cams.gate.village_id]))
    assert reverse("cctv:village", args=[cams.gate.village_id]) in village_page.content.decode()


def test_the_public_camera_page_in_english(cams, client):
    url = reverse("cctv:village", args=[cams.gate.village_id])
    page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Personal data protection notice" in page and "Article 17" in page
    assert "30 days" in page and "Pasal 17" not in page


def test_an_inactive_village_has_no_public_camera_page(cast, client):
    assert client.get(reverse("cctv:village", args=[cast.inactive_village.pk])).status_code == 404


def test_readyz_reports_the_last_round(cams, client, db):
    from balai.cctv.rounds import probe_round

    probe_round(village="35.09.01.2001")  # no cameras there: an empty round still counts
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["cctv"]["last_round"]["probed"] == 0
    assert body["cctv"]["cameras"]["unknown"] == 5
