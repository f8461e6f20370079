"""What the pages show of history: uptime tables and a camera's timeline as SVG.

Uptime comes from the rollups, aggregated in the database per village,
district, owner and for the whole regency. The timeline is drawn from the
camera's state changes (CameraEvent) as rectangles of a server-rendered SVG.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.cctv.choices import DOWN_STATES, State
from balai.cctv.models import CameraEvent, CameraRollup, uptime

PERIODS = {
    "hari": (1, _("24 jam terakhir")),
    "minggu": (7, _("7 hari")),
    "bulan": (30, _("30 hari")),
}
GROUPS = [
    ("camera__village__name", _("Desa")),
    ("camera__village__district__name", _("Kecamatan")),
    ("camera__owner_agency__short_name", _("Pemilik")),
]


@dataclass
class Period:
    key: str
    days: int
    label: str

    @classmethod
    def from_query(cls, value: str | None) -> Period:
        key = value if value in PERIODS else "minggu"
        days, label = PERIODS[key]
        return cls(key, days, str(label))

    def rollups(self):
        """Hourly rows for a day, daily rows (local days) for longer periods."""
        now = timezone.now()
        if self.days == 1:
            return CameraRollup.objects.hours(now - dt.timedelta(days=1), now)
        today = timezone.localdate()
        return CameraRollup.objects.days(today - dt.timedelta(days=self.days - 1), today)


def _row(label, totals: dict) -> dict:
    return {"label": label, **totals, "uptime": uptime(totals)}


def uptime_tables(user, period: Period) -> dict:
    rows = period.rollups().for_user(user)
    tables = []
    for field, title in GROUPS:
        # No owner agency means the village itself owns the camera.
        found = [_row(r[field] or _("Pemerintah desa"), r) for r in rows.totals(field)]
        tables.append({"title": title, "rows": found})
    return {"total": _row(_("Semua kamera"), rows.totals()), "tables": tables}


def recent_counts(camera, hours: int = 24) -> dict:
    events = CameraEvent.objects.filter(camera=camera).since(
        timezone.now() - dt.timedelta(hours=hours)
    )
    return {"reconnects": events.reconnects().count(), "freezes": events.freezes().count()}


COLOURS = {
    State.UP: "up",
    State.DEGRADED: "degraded",
    State.DOWN: "down",
    State.SITE_DOWN: "down",
    State.UNKNOWN: "unknown",
}
WIDTH = 720


def timeline(camera, days: int = 1, now=None) -> dict:
    """Bars of state over the last `days`, in SVG user units (0..WIDTH)."""
    now = now or timezone.now()
    start = now - dt.timedelta(days=days)
    events = list(CameraEvent.objects.filter(camera=camera, at__gte=start).order_by("at", "pk"))
    before = CameraEvent.objects.filter(camera=camera, at__lt=start).order_by("-at", "-pk").first()
    if before is not None:
        state = before.to_state
    elif events:
        state = events[0].from_state
    else:
        state = camera.state
    spans, at = [], start
    for event in events:
        spans.append((at, event.at, state))
        at, state = event.at, event.to_state
    spans.append((at, now, state))
    total = (now - start).total_seconds()
    bars = []
    for begin, end, span_state in spans:
        x = (begin - start).total_seconds() / total * WIDTH
        width = max((end - begin).total_seconds() / total * WIDTH, 0.5)
        bars.append(
            {
                "x": round(x, 1),
                "width": round(width, 1),
                "kind": COLOURS.get(span_state, "unknown"),
                "label": f"{State(span_state).label}: {timezone.localtime(begin):%d-%m %H:%M}"
                f" - {timezone.localtime(end):%d-%m %H:%M}",
            }
        )
    down = sum((e - b).total_seconds() for b, e, s in spans if s in DOWN_STATES)
    return {
        "bars": bars,
        "width": WIDTH,
        "start": timezone.localtime(start),
        "end": timezone.localtime(now),
        "down_share": down / total,
    }
