"""Public figures per category and per unit: counts, median time to first
response, share resolved on time. Computed over the last year and cached."""

from datetime import timedelta
from statistics import median

from django.core.cache import cache
from django.utils import timezone

from balai.agencies.models import Agency
from balai.complaints.choices import OPEN, Status, UnitKind
from balai.complaints.models import Category, Complaint

CACHE_SECONDS = 600
WINDOW_DAYS = 365


class Tally:
    def __init__(self, label: str):
        self.label = label
        self.total = 0
        self.open = 0
        self.responses: list[float] = []
        self.resolved = 0
        self.on_time = 0

    def add(self, status, dispatched_at, first_response_at, resolved_at, resolution_due):
        self.total += 1
        if status in OPEN:
            self.open += 1
        if dispatched_at and first_response_at:
            hours = (first_response_at - dispatched_at).total_seconds() / 3600
            self.responses.append(max(hours, 0.0))
        if resolved_at and status in (Status.RESOLVED, Status.CLOSED):
            self.resolved += 1
            if resolution_due is None or resolved_at <= resolution_due:
                self.on_time += 1

    @property
    def median_response_hours(self) -> float | None:
        return round(median(self.responses), 1) if self.responses else None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.resolved) if self.resolved else None

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "total": self.total,
            "open": self.open,
            "median_response_hours": self.median_response_hours,
            "resolved": self.resolved,
            "on_time_percent": self.on_time_percent,
        }


def compute(now=None) -> dict:
    now = now or timezone.now()
    categories = {c.pk: Tally(c.name) for c in Category.objects.all()}
    agencies = {a.pk: a for a in Agency.objects.all()}
    units: dict[str, Tally] = {}
    rows = (
        Complaint.objects.filter(created_at__gte=now - timedelta(days=WINDOW_DAYS))
        .exclude(status=Status.REJECTED)
        .values_list(
            "category_id",
            "unit_kind",
            "agency_id",
            "status",
            "dispatched_at",
            "first_response_at",
            "resolved_at",
            "resolution_due",
        )
    )
    for category_id, unit_kind, agency_id, *figures in rows.iterator(chunk_size=5000):
        categories[category_id].add(*figures)
        if unit_kind == UnitKind.AGENCY and agency_id in agencies:
            key, label = f"agency:{agency_id}", agencies[agency_id].name
        elif unit_kind == UnitKind.VILLAGE:
            key, label = "village", str(UnitKind.VILLAGE.label)
        else:
            key, label = "command_center", str(UnitKind.COMMAND_CENTER.label)
        units.setdefault(key, Tally(label)).add(*figures)
    return {
        "categories": [t.as_dict() for t in categories.values() if t.total],
        "units": sorted((t.as_dict() for t in units.values()), key=lambda d: d["label"]),
        "window_days": WINDOW_DAYS,
    }


def figures() -> dict:
    return cache.get_or_set("complaints:figures", compute, CACHE_SECONDS)
