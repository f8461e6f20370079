"""The regency admin's integration pages: clients, subscriptions (secret shown
once), the delivery log with replay, and the API call log."""

from balai.accounts.choices import Role, Scope
from balai.accounts.models import ApiCall, ApiClient, AuditLog
from balai.notifications.events import Kind, publish
from balai.webhooks.models import Delivery, Subscription


def test_only_the_regency_admin_sees_the_pages(client, login_as, cast):
    login_as(cast.command_center)
    assert client.get("/integrasi/").status_code == 403
    assert client.get("/integrasi/panggilan/").status_code == 403


def test_the_admin_makes_a_client_and_a_subscription_and_replays(
    allow_private, client, login_as, cast, receiver, django_capture_on_commit_callbacks
):
    login_as(cast.admin)
    made = client.post(
        "/integrasi/klien/",
        {"name": "simpeg-pupr", "reach": f"agency:{cast.agency.pk}",
         "scopes": [Scope.COMPLAINTS_READ, Scope.WEBHOOKS]},
    )  # fmt: skip
    assert made.status_code == 302, made.content
    api_client = ApiClient.objects.get(name="simpeg-pupr")
    assert api_client.user.role == Role.AGENCY_STAFF and api_client.user.agency == cast.agency
    receiver.expect_request("/hook").respond_with_data("diterima")
    response = client.post(
        "/integrasi/langganan/",
        {"client": api_client.pk, "url": receiver.url_for("/hook"),
         "kinds": [Kind.COMPLAINT_DISPATCHED]},
    )  # fmt: skip
    subscription = Subscription.objects.get()
    assert response.url == f"/integrasi/langganan/{subscription.pk}/"
    first = client.get(response.url).content.decode()
    assert "whsec_" in first
    assert "whsec_" not in client.get(response.url).content.decode()  # once
    with django_capture_on_commit_callbacks(execute=True):
        publish(Kind.COMPLAINT_DISPATCHED, {"complaint": "x"}, agency=cast.agency)
    page = client.get(response.url).content.decode()
    assert "evt_" in page and "diterima" in page
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/integrasi/pengiriman/{delivery.pk}/ulang/")
    assert len(receiver.log) == 2
    client.post(f"/integrasi/langganan/{subscription.pk}/disable/")
    assert not Subscription.objects.get().is_active
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"api_client_created", "webhook_subscribed", "webhook_replayed"} <= actions
    assert {"webhook_disabled"} <= actions


def test_an_inside_target_is_refused_on_the_page(settings, client, login_as, cast, regency_client):
    settings.BALAI_WEBHOOKS_ALLOW_PRIVATE = False
    login_as(cast.admin)
    response = client.post(
        "/integrasi/langganan/",
        {"client": regency_client.pk, "url": "https://169.254.169.254/latest/",
         "kinds": [Kind.SERVICE_DOWN]},
    )  # fmt: skip
    assert response.status_code == 200 and "ditolak" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_call_log_page_lists_calls_by_client(client, login_as, cast, regency_client, api_token):
    from balai.accounts.actions import create_token

    _, value = create_token(regency_client.user, [Scope.WEBHOOKS], 30)
    client.get(
        "/api/v1/webhooks/subscriptions",
        headers={"Authorization": f"Bearer {value}", "Balai-Purpose": "uji rekap"},
    )
    assert ApiCall.objects.count() == 1
    login_as(cast.admin)
    page = client.get(f"/integrasi/panggilan/?client={regency_client.pk}").content.decode()
    assert "uji rekap" in page and "/api/v1/webhooks/subscriptions" in page


def test_the_admin_rotates_a_token_on_the_token_page(client, login_as, cast, regency_client):
    from balai.accounts.actions import create_token
    from balai.accounts.models import ApiToken

    old, _ = create_token(regency_client.user, [Scope.WEBHOOKS], 30)
    login_as(cast.admin)
    response = client.post(f"/akun/token-api/{old.pk}/putar/")
    assert response.status_code == 302
    page = client.get("/akun/token-api/").content.decode()
    new = ApiToken.objects.exclude(pk=old.pk).get()
    assert new.hint in page and "balai_" in page  # the new value, once
    old.refresh_from_db()
    assert old.replaced_by == new and old.is_usable  # for the overlap
