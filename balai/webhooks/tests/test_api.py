"""An agency's system manages its subscriptions through the API; every call is
logged with its client and purpose; tokens rotate with an overlap."""

import datetime as dt

import time_machine
from standardwebhooks import Webhook

from balai.accounts import actions as account_actions
from balai.accounts.choices import Role, Scope
from balai.accounts.models import ApiCall, ApiToken
from balai.notifications.events import Kind, publish
from balai.webhooks.models import Delivery, Subscription


def bearer(client, *scopes):
    _, value = account_actions.create_token(client.user, list(scopes), 30)
    return {"Authorization": f"Bearer {value}"}


def test_subscribe_receive_read_the_log_and_replay_through_the_api(
    allow_private, client, receiver, make_client, cast, django_capture_on_commit_callbacks
):
    dinas = make_client(
        "sistem-pupr", Role.AGENCY_STAFF, agency=cast.agency,
        scopes=[Scope.COMPLAINTS_READ, Scope.WEBHOOKS],
    )  # fmt: skip
    headers = bearer(dinas, Scope.COMPLAINTS_READ, Scope.WEBHOOKS)
    receiver.expect_request("/hook").respond_with_data("ok")
    body = {"url": receiver.url_for("/hook"), "kinds": ["complaint.dispatched"]}
    made = client.post(
        "/api/v1/webhooks/subscriptions", body, content_type="application/json", headers=headers
    )
    assert made.status_code == 201, made.content
    secret = made.json()["secret"]
    listed = client.get("/api/v1/webhooks/subscriptions", headers=headers).json()
    assert "secret" not in listed[0] and secret not in str(listed)
    with django_capture_on_commit_callbacks(execute=True):
        publish(Kind.COMPLAINT_DISPATCHED, {"complaint": "abc"}, agency=cast.agency)
        publish(Kind.COMPLAINT_DISPATCHED, {"complaint": "def"}, agency=cast.other_agency)
    [(request, _)] = receiver.log
    assert Webhook(secret).verify(request.get_data(), dict(request.headers))["data"] == {
        "complaint": "abc"
    }
    pk = listed[0]["id"]
    log = client.get(f"/api/v1/webhooks/subscriptions/{pk}/deliveries", headers=headers).json()
    assert [(d["status"], d["last_status_code"]) for d in log] == [("succeeded", 200)]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/api/v1/webhooks/deliveries/{log[0]['id']}/replay", headers=headers)
    assert again.status_code == 200 and len(receiver.log) == 2
    feed = client.get("/api/v1/webhooks/events?after=0", headers=headers).json()
    assert [e["data"]["complaint"] for e in feed] == ["abc"]  # only its agency's
    rotated = client.post(f"/api/v1/webhooks/subscriptions/{pk}/rotate-secret", headers=headers)
    assert rotated.json()["secret"].startswith("whsec_")
    assert client.delete(f"/api/v1/webhooks/subscriptions/{pk}", headers=headers).status_code == 204
    assert not Subscription.objects.get().is_active


def test_the_api_refuses_inside_targets_kinds_beyond_the_scopes_and_other_clients(
    settings, client, make_client, cast, regency_client
):
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = False
    village = make_client(
        "sistem-desa", Role.VILLAGE_OPERATOR, village=cast.village_a, scopes=[Scope.WEBHOOKS]
    )
    headers = bearer(village, Scope.WEBHOOKS)
    url = "/api/v1/webhooks/subscriptions"
    inside = {"url": "https://169.254.169.254/", "kinds": ["service.down"]}
    refused = client.post(url, inside, content_type="application/json", headers=headers)
    assert refused.status_code == 422 and "url" not in refused.json()["title"].lower()
    beyond = {"url": "https://example.org/hook", "kinds": ["letter.ready"]}
    refused = client.post(url, beyond, content_type="application/json", headers=headers)
    assert refused.status_code == 422 and "letter.ready" in refused.json()["detail"]
    other = Subscription.objects.create(client=regency_client, url="https://e.org/", kinds=[])
    assert client.delete(f"{url}/{other.pk}", headers=headers).status_code == 404
    staff = {"Authorization": bearer_for_staff(cast)}
    assert client.get(url, headers=staff).status_code == 403


def bearer_for_staff(cast):
    _, value = account_actions.create_token(cast.admin, [Scope.WEBHOOKS], 30)
    return f"Bearer {value}"


def test_a_client_hears_only_its_area(allow_private, make_client, cast, receiver):
    from balai.webhooks import actions, delivery

    receiver.expect_request("/hook").respond_with_data("ok")
    every = [Scope.COMPLAINTS_READ, Scope.LETTERS_READ, Scope.CCTV_READ]
    clients = {
        "desa-a": make_client("desa-a", Role.VILLAGE_OPERATOR, every, village=cast.village_a),
        "kecamatan-b": make_client(
            "kecamatan-b", Role.DISTRICT_STAFF, every, district=cast.village_b.district
        ),
        "pupr": make_client("pupr", Role.AGENCY_STAFF, every, agency=cast.agency),
        "pupr-tanpa-aduan": make_client(
            "pupr-x", Role.AGENCY_STAFF, [Scope.CCTV_READ], agency=cast.agency
        ),
    }
    for name, api_client in clients.items():
        kinds = [Kind.COMPLAINT_DISPATCHED] if name != "pupr-tanpa-aduan" else [Kind.CAMERA_DOWN]
        actions.create_subscription(api_client, receiver.url_for(f"/{name}"), kinds)
    publish(Kind.COMPLAINT_DISPATCHED, {"n": 1}, village=cast.village_a, agency=cast.agency)
    publish(Kind.COMPLAINT_DISPATCHED, {"n": 2}, village=cast.village_b, agency=cast.other_agency)
    delivery.fan_out()
    got = {
        (d.subscription.client.name, d.event.data["n"])
        for d in Delivery.objects.select_related("subscription__client", "event")
    }
    assert got == {("desa-a", 1), ("kecamatan-b", 2), ("pupr", 1)}


def test_every_api_call_is_logged_with_its_client_route_and_purpose(client, make_client, cast):
    dinas = make_client("sistem-dlh", Role.AGENCY_STAFF, agency=cast.other_agency)
    headers = {**bearer(dinas, Scope.WEBHOOKS), "Balai-Purpose": "sinkron langganan\x07"}
    client.get("/api/v1/webhooks/subscriptions/12345/deliveries", headers=headers)
    client.get("/api/v1/webhooks/subscriptions", headers=headers)
    calls = list(ApiCall.objects.order_by("pk"))
    assert [(c.client, c.method, c.status) for c in calls] == [
        (dinas, "GET", 404),
        (dinas, "GET", 200),
    ]
    assert calls[0].route == "/api/v1/webhooks/subscriptions/<pk>/deliveries"
    assert calls[0].purpose == "sinkron langganan" and calls[0].token is not None
    assert "12345" not in calls[0].route


def test_a_rotated_token_keeps_working_for_the_overlap_then_stops(client, make_client, cast):
    dinas = make_client("sistem-rotasi", Role.AGENCY_STAFF, agency=cast.agency)
    old, old_value = account_actions.create_token(dinas.user, [Scope.WEBHOOKS], 30)
    new, new_value = account_actions.rotate_token(old, by=cast.admin)
    assert new.scopes == old.scopes and ApiToken.objects.get(pk=old.pk).replaced_by == new
    url = "/api/v1/webhooks/subscriptions"
    for value in (old_value, new_value):
        assert client.get(url, headers={"Authorization": f"Bearer {value}"}).status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)):
        assert client.get(url, headers={"Authorization": f"Bearer {old_value}"}).status_code == 401
        assert client.get(url, headers={"Authorization": f"Bearer {new_value}"}).status_code == 200


def test_a_client_gets_no_token_beyond_its_scopes(make_client, cast):
    import pytest

    limited = make_client("terbatas", Role.AGENCY_STAFF, [Scope.CCTV_READ], agency=cast.agency)
    with pytest.raises(account_actions.TokenError):
        account_actions.create_token(limited.user, [Scope.COMPLAINTS_WRITE], 30)
