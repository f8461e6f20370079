"""What the portal shows of other apps: letter services, the complaint form, figures.

The portal only reads; the letters and complaints apps own the data. This
module is the one place that knows their models, so the village page, the
regency portal and the widget stay unchanged when those apps change.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balai.lib import tracking

FIGURES_WINDOW = timedelta(days=90)  # median time to ready over the last 90 days


@dataclass(frozen=True)
class LetterService:
    code: str
    name: str
    description: str = ""
    requirements: list[str] = field(default_factory=list)
    duration: str = ""
    online: bool = True
    request_url: str = ""


@dataclass(frozen=True)
class ComplaintForm:
    url: str
    categories: list[tuple[str, str]]


@dataclass(frozen=True)
class Figures:
    letters_this_month: int | None = None
    median_to_ready: timedelta | None = None

    @property
    def median_label(self) -> str:
        if self.median_to_ready is None:
            return ""
        hours = self.median_to_ready.total_seconds() / 3600
        if hours < 24:
            n = max(1, round(hours))
            return ngettext("%(n)s jam", "%(n)s jam", n) % {"n": n}
        days = round(hours / 24, 1)
        return _("%(n)s hari") % {"n": f"{days:g}".replace(".", ",")}


@dataclass(frozen=True)
class Tracked:
    kind: str
    title: str
    status: str
    updated_at: object = None
    url: str = ""


def _requirement(item: dict) -> str:
    label = str(item.get("label", ""))
    return label if item.get("required", True) else _("%(label)s (bila ada)") % {"label": label}


POPULAR_WINDOW = timedelta(days=365)  # "most requested" counts the last year's requests


def letter_services(village) -> list[LetterService]:
    """The letters this village offers, the most requested in the last year first (in
    one query), then in the catalogue's order."""
    from django.db.models import Count

    from balai.letters.models import LetterRequest, LetterType

    asked = dict(
        LetterRequest.objects.filter(
            village=village, submitted_at__gte=timezone.now() - POPULAR_WINDOW
        )
        .values_list("letter_type_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    types = list(LetterType.objects.enabled_in(village))
    types.sort(key=lambda t: -asked.get(t.pk, 0))  # stable: the catalogue's order after
    services = []
    for letter_type in types:
        days = letter_type.sla_days
        services.append(
            LetterService(
                code=letter_type.code,
                name=letter_type.name,
                description=letter_type.description,
                requirements=[_requirement(r) for r in letter_type.requirements],
                duration=ngettext("%(n)s hari kerja", "%(n)s hari kerja", days) % {"n": days}
                if days
                else "",
                online=letter_type.online,
                request_url=reverse(
                    "letters:request",
                    kwargs={"village": village.code, "letter_type": letter_type.code},
                )
                if letter_type.online
                else "",
            )
        )
    return services


def services_by_village(villages) -> dict[str, list[str]]:
    """Village code to the names of the letters it offers, in one query."""
    from balai.letters.models import VillageLetterType

    offered: dict[str, list[str]] = defaultdict(list)
    rows = (
        VillageLetterType.objects.filter(
            village__in=[v.code for v in villages], enabled=True, letter_type__is_active=True
        )
        .order_by("letter_type__order", "letter_type__name")
        .values_list("village_id", "letter_type__name")
    )
    for code, name in rows:
        offered[code].append(name)
    return dict(offered)


def complaint_form(village) -> ComplaintForm | None:
    """Step one of the complaint form (a GET form), with this village chosen."""
    from balai.complaints.models import Category

    categories = list(Category.objects.active().values_list("code", "name"))
    if not categories:
        return None
    return ComplaintForm(url=reverse("complaints:report"), categories=categories)


def public_figures(village, now=None) -> Figures:
    """Letters issued this month, and the median time from request to ready (90 days)."""
    from balai.letters.models import Letter

    now = timezone.localtime(now)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    letters = Letter.objects.filter(village=village)
    this_month = letters.filter(issued_at__gte=month_start).count()
    spans = [
        issued - submitted
        for issued, submitted in letters.filter(issued_at__gte=now - FIGURES_WINDOW).values_list(
            "issued_at", "request__submitted_at"
        )
    ]
    return Figures(
        letters_this_month=this_month,
        median_to_ready=statistics.median(spans) if spans else None,
    )


def track(text: str, village) -> Tracked | None:
    """The public status of a letter request or a complaint, by its tracking code."""
    from balai.complaints.actions import find_by_tracking_code
    from balai.letters.models import LetterRequest

    code = tracking.normalise(text)
    if code is None:
        return None
    request = LetterRequest.objects.filter(tracking_code=code).select_related("letter_type").first()
    if request is not None:
        return Tracked(
            kind="letter",
            title=request.letter_type.name,
            status=request.get_status_display(),
            updated_at=request.status_changed_at,
            url=reverse("letters:track", args=[code]),
        )
    complaint = find_by_tracking_code(code)
    if complaint is not None:
        return Tracked(
            kind="complaint",
            title=_("Aduan: %(category)s") % {"category": complaint.category.name},
            status=complaint.get_status_display(),
            updated_at=complaint.updated_at,
            url=reverse("complaints:track"),
        )
    return None
