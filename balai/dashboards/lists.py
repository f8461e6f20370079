"""The list behind a dashboard number: the same scope, the same named filter
(letters.stats / complaints.stats `matching`), the same period and group."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404

from balai.complaints import stats as complaint_stats
from balai.complaints.choices import UnitKind
from balai.dashboards.periods import Period
from balai.dashboards.scope import COMPLAINTS, LETTERS, Scope
from balai.letters import stats as letter_stats

EPOCH = dt.date(2000, 1, 1)


def _bounds(period: Period) -> tuple:
    return (None, None) if period.kind == "now" else (period.start, period.end)


def _name(measure: str) -> str:
    return measure.removeprefix("now-")


def _number(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def letters(scope: Scope, measure: str, period: Period, params):
    if not scope.lists_letters:
        raise PermissionDenied
    start, end = _bounds(period)
    found = letter_stats.matching(scope.requests(), _name(measure), start, end, scope.now)
    if "jenis" in params:
        found = found.filter(letter_type_id=_number(params["jenis"]))
    return found.select_related("letter_type", "village", "resident").order_by(
        "-submitted_at", "pk"
    )


def _unit(value: str):
    kind, _sep, agency = value.partition(":")
    if kind not in UnitKind.values:
        return None
    if kind == UnitKind.AGENCY:
        return {"unit_kind": kind, "agency_id": _number(agency)}
    return {"unit_kind": kind}


def complaints(scope: Scope, measure: str, period: Period, params):
    start, end = _bounds(period)
    found = complaint_stats.matching(scope.complaints(), _name(measure), start, end, scope.now)
    if "kategori" in params:
        found = found.filter(category_id=_number(params["kategori"]))
    if "unit" in params:
        unit = _unit(params["unit"])
        found = found.filter(**unit) if unit else found.none()
    return found.select_related("category", "village").order_by("-created_at", "pk")


def rows(scope: Scope, kind: str, measure: str, period: Period, params):
    """`measure`: a period's figure, or "now-" and an open state or "overdue"."""
    if measure.startswith("now-"):
        period = Period("now", EPOCH, EPOCH)
    if kind == LETTERS:
        return letters(scope, measure, period, params)
    if kind == COMPLAINTS:
        return complaints(scope, measure, period, params)
    raise Http404
