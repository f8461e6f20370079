"""Whose rows a dashboard counts, and where its numbers link.

Staff count through the sources' own access rules (`for_user`: village and
district staff never count sensitive complaints), so the list a number links
to holds exactly the rows counted. The command center reads no letter
requests: it sees their figures, without lists. The public counts every
non-sensitive report and public cameras, and gets no lists at all.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from balai.accounts.choices import REGENCY_ROLES
from balai.cctv.models import Camera, CameraRollup, Outage
from balai.complaints.models import Complaint
from balai.dashboards.areas import Area
from balai.dashboards.models import ComplaintRollup
from balai.dashboards.periods import Period
from balai.letters.models import STAFF_READERS, LetterRequest

LETTERS, COMPLAINTS = "surat", "aduan"


@dataclass
class Scope:
    area: Area
    user: Any  # None: the public
    now: dt.datetime

    @property
    def public(self) -> bool:
        return self.user is None

    @property
    def lists_letters(self) -> bool:
        return not self.public and self.user.role in STAFF_READERS

    def requests(self, area: Area | None = None):
        where = (area or self.area).filter()
        if self.lists_letters:
            return LetterRequest.objects.for_user(self.user).filter(where)
        return LetterRequest.objects.filter(where)

    def complaints(self, area: Area | None = None):
        where = (area or self.area).filter()
        if self.public:
            return Complaint.objects.not_sensitive().filter(where)
        return Complaint.objects.for_user(self.user).filter(where)

    @property
    def counts_sensitive(self) -> bool:
        """Whether its complaints include sensitive ones (as Complaint.for_user)."""
        return not self.public and self.user.role in REGENCY_ROLES

    def counted(self, family, level: int | None = None):
        """The rollups (balai.dashboards.rollups) this scope counts: the area's own
        rows, or with `level` (a depth) the rows of its districts or villages."""
        if level is None:
            where = Q(region=self.area.code)
        else:
            code = self.area.code
            where = Q(depth=level, region__gte=f"{code}.", region__lt=f"{code}/")
        rows = family.model.objects.filter(where)
        if family.model is ComplaintRollup and not self.counts_sensitive:
            rows = rows.exclude(category__sensitive=True)
        return rows

    def cameras(self):
        cameras = Camera.objects.filter(self.area.filter())
        return cameras.public() if self.public else cameras

    def rollups(self):
        rollups = CameraRollup.objects.filter(self.area.filter("camera__village"))
        return rollups.filter(camera__visibility="public") if self.public else rollups

    def outages(self):
        outages = Outage.objects.filter(self.area.filter("camera__village"))
        return outages.filter(camera__visibility="public") if self.public else outages

    def link(self, kind: str, measure: str, period: Period | None, code: str = "", **more) -> str:
        """The list behind a number (staff only; "" where there is none)."""
        if self.public or (kind == LETTERS and not self.lists_letters):
            return ""
        url = _url("dashboards:list", code or self.area.code, kind, measure)
        params = {**(period.params() if period else {}), **{k: str(v) for k, v in more.items()}}
        return f"{url}?{urlencode(params)}" if params else url

    def dashboard(self, code: str, period: Period) -> str:
        name = "dashboards:public" if self.public else "dashboards:staff"
        return f"{_url(name, code)}?{period.query()}"


PLACEHOLDERS = ("c0de", "k1nd", "m3asure")


def _url(name: str, *args: str) -> str:
    """reverse() once per page view and name, filled in by string: a regency page
    links a thousand numbers (every argument is a region code or a fixed slug)."""
    pattern = _pattern(name, len(args))
    for placeholder, value in zip(PLACEHOLDERS, args, strict=False):
        pattern = pattern.replace(placeholder, value)
    return pattern


@functools.lru_cache(maxsize=32)
def _pattern(name: str, arity: int) -> str:
    return reverse(name, args=PLACEHOLDERS[:arity])
