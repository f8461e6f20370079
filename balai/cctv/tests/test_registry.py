import json

import pytest
from django.urls import reverse

from balai.accounts.models import AuditLog
from balai.cctv import crypto
from balai.cctv.models import Camera


def form_data(village, **overrides):
    return {
        "name": "Perempatan",
        "village": village.pk,
        "purpose": "keamanan",
        "visibility": "public",
        "rtsp_url": "rtsp://10.0.0.5:554/stream1",
        "retention_days": 30,
        "operator_contact": "Kantor desa, 0334-123456",
        "username": "admin",
        "password": "rahasia-kamera-123",
        **overrides,
    }


def test_village_staff_register_a_camera_with_encrypted_credentials_never_shown_back(
    cast, login_as, client
):
    login_as(cast.operator_a)
    response = client.post(reverse("cctv:camera-new"), form_data(cast.village_a))
    camera = Camera.objects.get(name="Perempatan")
    assert response.status_code == 302
    assert camera.owner_agency is None
    assert "rahasia-kamera-123" not in camera.credentials
    assert crypto.decrypt(camera.credentials) == ("admin", "rahasia-kamera-123")
    page = client.get(reverse("cctv:camera-edit", args=[camera.public_id])).content.decode()
    assert "rahasia-kamera-123" not in page and 'value="admin"' not in page
    assert "tersimpan" in page
    detail = client.get(reverse("cctv:camera", args=[camera.public_id])).content.decode()
    assert "rahasia" not in detail and "admin" not in detail.split("<main")[1]
    # Saving the form again with empty credential fields keeps them.
    client.post(
        reverse("cctv:camera-edit", args=[camera.public_id]),
        form_data(cast.village_a, username="", password="", location="Depan balai"),
    )
    camera.refresh_from_db()
    assert camera.location == "Depan balai"
    assert crypto.decrypt(camera.credentials) == ("admin", "rahasia-kamera-123")
    rows = AuditLog.objects.filter(action__startswith="camera_")
    assert "rahasia-kamera-123" not in json.dumps(list(rows.values_list("detail", flat=True)))
    assert list(rows.order_by("at", "id").values_list("action", flat=True)) == [
        "camera_created",
        "camera_updated",
    ]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("rtsp://admin:pw@10.0.0.5/stream", "kolom kredensial"),
        ("http://10.0.0.5/snap.jpg", "rtsp://"),
        ("rtsp://10.0.0.5/live?token=abc", "parameter rahasia"),
        ("rtsp:///nohost", "nama host"),
    ],
)
def test_a_url_with_credentials_or_of_the_wrong_kind_is_refused(
    cast, login_as, client, url, reason
):
    login_as(cast.operator_a)
    response = client.post(reverse("cctv:camera-new"), form_data(cast.village_a, rtsp_url=url))
    assert response.status_code == 200
    page = response.content.decode()
    assert reason in page
    assert "pw@" not in page and "abc" not in page  # a refused secret is not shown back
    assert not Camera.objects.exists()


def test_staff_cannot_register_in_another_village(cast, login_as, client):
    login_as(cast.operator_a)
    response = client.post(reverse("cctv:camera-new"), form_data(cast.village_b))
    assert response.status_code == 200 and not Camera.objects.exists()


def test_another_villages_camera_is_a_404_and_audited(cast, cams, login_as, client):
    login_as(cast.operator_b)
    response = client.get(reverse("cctv:camera", args=[cams.gate.public_id]))
    assert response.status_code == 404
    assert AuditLog.objects.filter(action="access_denied", object_id=str(cams.gate.pk)).exists()
    assert client.get(reverse("cctv:camera", args=[cams.other.public_id])).status_code == 200


def test_who_sees_which_cameras(cast, cams):
    def names(user):
        return set(Camera.objects.for_user(user).values_list("name", flat=True))

    village_a = {"Gerbang", "Pasar", "Lapangan", "Jalan raya"}
    assert names(cast.operator_a) == village_a
    assert names(cast.command_center) == village_a | {"Balai B"}
    assert names(cast.admin) == village_a | {"Balai B"}
    assert names(cast.district_a) == village_a
    assert names(cast.agency_officer) == {"Jalan raya"}
    assert names(cast.other_agency_officer) == set()
    assert names(cast.outsider) == set()


def test_a_role_without_cameras_gets_403_and_village_staff_cannot_edit_an_agency_camera(
    cast, cams, login_as, client
):
    login_as(cast.outsider)
    assert client.get(reverse("cctv:board")).status_code == 403
    client.logout()
    login_as(cast.operator_a)
    assert client.get(reverse("cctv:camera-edit", args=[cams.road.public_id])).status_code == 403
    client.logout()
    login_as(cast.district_a)
    assert client.get(reverse("cctv:camera-new")).status_code == 403


def test_agency_staff_register_cameras_as_their_agency(cast, login_as, client):
    login_as(cast.agency_officer)
    client.post(reverse("cctv:camera-new"), form_data(cast.village_b))
    assert Camera.objects.get().owner_agency == cast.agency


def test_keys_rotate_and_old_tokens_still_decrypt_until_rotated(cams, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.BALAI_CCTV_KEYS = [old]
    Camera.objects.filter(pk=cams.gate.pk).update(credentials=crypto.encrypt("u", "p"))
    settings.BALAI_CCTV_KEYS = [new, old]
    call_command("rotate_camera_keys")
    settings.BALAI_CCTV_KEYS = [new]
    token = Camera.objects.get(pk=cams.gate.pk).credentials
    assert crypto.decrypt(token) == ("u", "p")
    settings.BALAI_CCTV_KEYS = [old]
    with pytest.raises(crypto.CredentialError):
        crypto.decrypt(token)
