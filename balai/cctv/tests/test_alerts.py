import datetime as dt

import time_machine

from balai.cctv import alerts
from balai.cctv.models import Camera, MaintenanceWindow, Outage, Site
from balai.cctv.state import apply_results
from balai.cctv.tests.conftest import result

T0 = dt.datetime(2026, 12, 5, 3, 0, 0, tzinfo=dt.UTC)


def rnd(pairs, at):
    with time_machine.travel(at, tick=False):
        applied = apply_results([result(c, *p, at=at) for c, p in pairs])
        alerts.reconcile(applied.cameras, applied.sites, now=at)
        return alerts.send_due(now=at)


def emails_to(inbox, address):
    return [m for m in inbox.messages if m["To"] == address]


def test_a_dead_camera_is_alerted_once_to_its_unit_and_the_command_center_then_recovery(
    cast, cams, smtp_server, django_capture_on_commit_callbacks
):
    for user, address in [(cast.operator_a, "op@a.example"), (cast.command_center, "cc@example")]:
        user.email = address
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        rnd([(cams.field, [])], T0)
        for n in range(1, 6):  # dies after T0; 30-second rounds
            sent = rnd([(cams.field, ["unreachable"])], T0 + dt.timedelta(seconds=30 * n))
            if sent:
                alerted_after = 30 * n
    # Not seen working since T0; the alert goes out once past one minute.
    assert alerted_after == 60
    [down] = emails_to(smtp_server, "op@a.example")
    assert "CCTV mati" in down["Subject"] and "Lapangan" in down["Subject"]
    assert len(emails_to(smtp_server, "cc@example")) == 1
    assert emails_to(smtp_server, "kades_a@example") == []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6, 9):
            rnd([(cams.field, [])], T0 + dt.timedelta(seconds=30 * n))
    subjects = [m["Subject"] for m in emails_to(smtp_server, "op@a.example")]
    assert len(subjects) == 2 and "CCTV pulih" in subjects[1]
    outage = Outage.objects.get()
    assert outage.ended_at and outage.alerted_at and outage.recovery_sent_at


def test_an_agency_camera_alerts_the_agency_not_the_village(
    cast, cams, smtp_server, django_capture_on_commit_callbacks
):
    cast.agency_officer.email = "pupr@example"
    cast.agency_officer.save()
    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            rnd([(cams.road, ["timeout"])], T0 + dt.timedelta(seconds=30 * n))
    assert len(emails_to(smtp_server, "pupr@example")) == 1
    assert emails_to(smtp_server, "op@a.example") == []


def test_a_short_blip_and_a_maintenance_window_alert_nobody(
    cast, cams, smtp_server, django_capture_on_commit_callbacks
):
    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    MaintenanceWindow.objects.create(
        village=cast.village_a,
        camera=cams.field,
        reason="Ganti kabel",
        weekday=T0.astimezone(dt.timezone(dt.timedelta(hours=7))).weekday(),
        start_time=dt.time(9, 0),
        duration_minutes=120,
    )
    with django_capture_on_commit_callbacks(execute=True):
        rnd([(cams.field, []), (cams.other, [])], T0)
        for n in range(1, 6):
            at = T0 + dt.timedelta(seconds=30 * n)
            rnd([(cams.field, ["unreachable"]), (cams.other, ["unreachable"] if n < 2 else [])], at)
    assert smtp_server.messages == []
    assert Camera.objects.get(pk=cams.field.pk).state == "down"


def test_a_site_down_sends_one_alert_for_the_site(
    cast, cams, smtp_server, django_capture_on_commit_callbacks
):
    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            at = T0 + dt.timedelta(seconds=30 * n)
            rnd([(cams.gate, ["unreachable"]), (cams.market, ["unreachable"])], at)
    [message] = smtp_server.messages
    assert "Situs Balai desa" in message["Subject"]
    assert Site.objects.get().state == "down"


def test_the_daily_digest_lists_each_owners_cameras_still_down(
    cast, cams, smtp_server, django_capture_on_commit_callbacks
):
    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    for n in range(3):
        at = T0 + dt.timedelta(seconds=30 * n)
        rnd([(cams.field, ["unreachable"]), (cams.road, ["unreachable"])], at)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_digest(dt.date(2026, 12, 6)) == 2
        alerts.send_digest(dt.date(2026, 12, 6))  # the same day again sends nothing new
    [digest] = emails_to(smtp_server, "op@a.example")
    assert "1 kamera masih mati" in digest["Subject"]
    assert "Lapangan" in digest.get_payload() and "Jalan raya" not in digest.get_payload()


def test_staff_plan_maintenance_for_their_cameras_and_it_holds_alerts_back(
    cast, cams, login_as, client, smtp_server, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from balai.accounts.models import AuditLog

    cast.operator_a.email = "op@a.example"
    cast.operator_a.save()
    login_as(cast.operator_a)
    local = T0.astimezone(dt.timezone(dt.timedelta(hours=7)))
    response = client.post(
        reverse("cctv:maintenance"),
        {
            "village": cast.village_a.pk,
            "camera": cams.field.pk,
            "reason": "Ganti adaptor",
            "starts_at": f"{local:%Y-%m-%dT%H:%M}",
            "ends_at": f"{local + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert AuditLog.objects.filter(action="camera_maintenance_planned").exists()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            rnd([(cams.field, ["unreachable"])], T0 + dt.timedelta(minutes=n))
    assert smtp_server.messages == []
    # After the window, the outage is alerted.
    with django_capture_on_commit_callbacks(execute=True):
        rnd([(cams.field, ["unreachable"])], T0 + dt.timedelta(minutes=61))
    assert len(smtp_server.messages) == 1
    # Neither another village's staff nor a bad window get through.
    client.logout()
    login_as(cast.operator_b)
    cancel = reverse("cctv:maintenance-cancel", args=[window.pk])
    assert client.post(cancel).status_code == 404
    page = client.post(
        reverse("cctv:maintenance"),
        {"village": cast.village_b.pk, "reason": "Tanpa waktu"},
    ).content.decode()
    assert "mingguan" in page
    client.logout()
    login_as(cast.operator_a)
    assert client.post(cancel).status_code == 302
    assert not MaintenanceWindow.objects.exists()
