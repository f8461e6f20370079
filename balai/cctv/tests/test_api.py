import datetime as dt

from balai.accounts.choices import Scope
from balai.accounts.models import AuditLog
from balai.cctv import crypto
from balai.cctv.models import Camera
from balai.cctv.state import apply_results
from balai.cctv.tests.conftest import result


def test_the_list_is_scoped_and_filtered_and_never_carries_credentials(
    cast, cams, client, api_token
):
    Camera.objects.filter(pk=cams.gate.pk).update(credentials=crypto.encrypt("root", "s3cret"))
    headers = api_token(cast.operator_a, Scope.CCTV_READ)
    response = client.get("/api/v1/cameras", headers=headers)
    assert response.status_code == 200
    names = {c["name"] for c in response.json()["items"]}
    assert names == {"Gerbang", "Pasar", "Lapangan", "Jalan raya"}
    assert b"s3cret" not in response.content and b"root" not in response.content
    gate = next(c for c in response.json()["items"] if c["name"] == "Gerbang")
    assert gate["has_credentials"] is True and gate["site"] == str(cams.site.public_id)
    owned = client.get("/api/v1/cameras?owner=dinas-pupr", headers=headers).json()["items"]
    assert [c["name"] for c in owned] == ["Jalan raya"]
    everyone = api_token(cast.command_center, Scope.CCTV_READ)
    assert len(client.get("/api/v1/cameras", headers=everyone).json()["items"]) == 5


def test_scopes_are_enforced(cast, cams, client, api_token):
    headers = api_token(cast.operator_a, Scope.COMPLAINTS_READ)
    assert client.get("/api/v1/cameras", headers=headers).status_code == 403
    read_only = api_token(cast.operator_a, Scope.CCTV_READ)
    body = {"name": "X", "village": cast.village_a.pk, "purpose": "keamanan",
            "operator_contact": "Desa", "rtsp_url": "rtsp://10.0.0.1/s"}  # fmt: skip
    response = client.post(
        "/api/v1/cameras", body, content_type="application/json", headers=read_only
    )
    assert response.status_code == 403


def test_another_villages_camera_is_404_and_audited(cast, cams, client, api_token):
    headers = api_token(cast.operator_b, Scope.CCTV_READ)
    response = client.get(f"/api/v1/cameras/{cams.gate.public_id}", headers=headers)
    assert response.status_code == 404
    assert AuditLog.objects.filter(action="access_denied", object_id=str(cams.gate.pk)).exists()


def test_detail_events_and_the_event_feed(cast, cams, client, api_token, settings):
    settings.BALAI_CCTV_FLAP_COUNT = 1
    now = dt.datetime.now(dt.UTC)
    apply_results([result(cams.field, at=now - dt.timedelta(minutes=3))])
    apply_results([result(cams.field, "unreachable", at=now - dt.timedelta(minutes=2))])
    apply_results([result(cams.field, at=now - dt.timedelta(minutes=1))])
    headers = api_token(cast.operator_a, Scope.CCTV_READ)
    detail = client.get(f"/api/v1/cameras/{cams.field.public_id}", headers=headers).json()
    assert detail["state"] == "up" and detail["reconnects_24h"] == 1
    events = client.get(f"/api/v1/cameras/{cams.field.public_id}/events", headers=headers).json()
    assert [e["type"] for e in events] == ["camera.up", "camera.down"]
    feed = client.get("/api/v1/camera-events", headers=headers).json()
    assert [e["type"] for e in feed] == ["camera.down", "camera.up"]
    rest = client.get(f"/api/v1/camera-events?after={feed[0]['id']}", headers=headers).json()
    assert [e["id"] for e in rest] == [feed[1]["id"]]
    other = api_token(cast.operator_b, Scope.CCTV_READ)
    assert client.get("/api/v1/camera-events", headers=other).json() == []


def test_register_through_the_api_with_the_same_rules_as_the_form(cast, client, api_token):
    headers = api_token(cast.operator_a, Scope.CCTV_WRITE, Scope.CCTV_READ)
    body = {
        "name": "Pertigaan",
        "village": cast.village_a.pk,
        "purpose": "lalu_lintas",
        "operator_contact": "Kantor desa",
        "rtsp_url": "rtsp://user:pw@10.0.0.1/s",
    }
    response = client.post(
        "/api/v1/cameras", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 422 and "kredensial" in response.json()["title"]
    body |= {"rtsp_url": "rtsp://10.0.0.1/s", "username": "u", "password": "p4ss"}
    response = client.post(
        "/api/v1/cameras", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    assert "p4ss" not in response.content.decode() and response.json()["has_credentials"]
    camera = Camera.objects.get(name="Pertigaan")
    assert crypto.decrypt(camera.credentials) == ("u", "p4ss")
    body |= {"village": cast.village_b.pk, "name": "Di desa lain"}
    response = client.post(
        "/api/v1/cameras", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 422


def test_the_openapi_document_lists_the_camera_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/cameras", "/api/v1/cameras/{public_id}", "/api/v1/camera-events"} <= set(paths)
