"""Demo cameras: the simulator's cameras in the first demo village (some up, one
frozen, one with a wrong password, one with a wrong clock, one down), a few
more in other demo villages, and a week of history so the pages have a past.

`make run` starts the simulator (`balai simulate-cameras`) and the worker
probes them every BALAI_CCTV_ROUND_SECONDS, so the board is alive.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from balai.agencies.models import Agency
from balai.cctv import crypto
from balai.cctv.choices import Period, Purpose, Visibility
from balai.cctv.models import Camera, CameraRollup, Site
from balai.cctv.simulator import DEMO_CAMERAS, HOST, demo_cameras
from balai.regions.demo import demo_villages

PURPOSES = {
    "balai-desa": Purpose.SECURITY,
    "pasar": Purpose.SECURITY,
    "jembatan": Purpose.DISASTER,
    "simpang-tiga": Purpose.TRAFFIC,
    "pos-ronda": Purpose.SECURITY,
    "lereng-semeru": Purpose.DISASTER,
    "sawah": Purpose.ENVIRONMENT,
}
OWNERS = {"simpang-tiga": "dishub", "lereng-semeru": "bpbd", "jembatan": "bpbd"}
HISTORY_DAYS = 7


def _title(slug: str) -> str:
    return slug.replace("-", " ").title()


@transaction.atomic
def seed(stdout) -> None:
    villages = demo_villages()
    if not villages:
        return
    first = villages[0]
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=set(OWNERS.values()))}
    site, _ = Site.objects.get_or_create(
        village=first, name="Router balai desa", defaults={"host": HOST, "port": 8554}
    )
    contact = f"Operator {first}, kantor desa"
    for sim in DEMO_CAMERAS:
        camera, created = Camera.objects.get_or_create(
            village=first,
            name=_title(sim.name),
            defaults={
                "site": site if sim.name in ("balai-desa", "pasar") else None,
                "purpose": PURPOSES.get(sim.name, Purpose.SECURITY),
                "owner_agency": agencies.get(OWNERS.get(sim.name, "")),
                "visibility": Visibility.PUBLIC if sim.name != "pos-ronda" else Visibility.STAFF,
                "snapshot_url": sim.snapshot_url,
                "onvif_url": sim.onvif_url,
                "make": "Hikvision" if len(sim.name) % 2 else "Dahua",
                "model": "DS-2CD1043" if len(sim.name) % 2 else "IPC-HFW1230",
                "installed_on": dt.date(2025, 8, 17),
                "retention_days": 30,
                "operator_contact": contact,
            },
        )
        if created:
            camera.credentials = crypto.encrypt(sim.username or "", sim.password or "")
            camera.save(update_fields=["credentials"])
    # Other demo villages: two working cameras each, on the same simulator.
    moving = demo_cameras()[0]
    for village in villages[1:6]:
        for name in ("Balai desa", "Pertigaan"):
            slug = f"{village.pk}-{name.lower().replace(' ', '-')}"
            camera, created = Camera.objects.get_or_create(
                village=village,
                name=name,
                defaults={
                    "purpose": Purpose.SECURITY if name == "Balai desa" else Purpose.TRAFFIC,
                    "visibility": Visibility.PUBLIC,
                    "snapshot_url": moving.snapshot_url.replace("balai-desa", slug),
                    "onvif_url": moving.onvif_url,
                    "retention_days": 14,
                    "operator_contact": f"Operator {village}",
                },
            )
            if created:
                camera.credentials = crypto.encrypt(moving.username or "", moving.password or "")
                camera.save(update_fields=["credentials"])
    seed_history()
    _start()
    stdout.write(f"CCTV: {Camera.objects.count()} demo cameras (balai simulate-cameras)\n")


def seed_history() -> None:
    """A week of daily rollups for cameras that have none, so uptime has a past."""
    rng = random.Random(35_08)  # noqa: S311 - demo figures, not secrets
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    have = set(CameraRollup.objects.values_list("camera_id", flat=True).distinct())
    rows = []
    for camera in Camera.objects.exclude(pk__in=have):
        for back in range(1, HISTORY_DAYS + 1):
            down = rng.choice([0, 0, 0, 0, 600, 3600, 7200])
            degraded = rng.choice([0, 0, 300, 1800])
            rows.append(
                CameraRollup(
                    camera=camera,
                    period=Period.DAY,
                    start=today - dt.timedelta(days=back),
                    up_seconds=86400 - down - degraded,
                    degraded_seconds=degraded,
                    down_seconds=down,
                )
            )
    CameraRollup.objects.bulk_create(rows, ignore_conflicts=True)


def _start() -> None:
    from balai.cctv import tasks

    transaction.on_commit(tasks.start)
