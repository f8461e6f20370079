"""Aggregates of letters for public figures (open data, dashboards)."""

import datetime as dt

from balai.letters.models import Letter
from balai.lib.aggregates import counts


def issued(first: dt.date, last: dt.date, *fields: str, period: str = "month"):
    """Letters issued (not revoked) from `first` to `last`, counted per period and
    `fields` (e.g. "village_id", "letter_type__name")."""
    letters = Letter.objects.valid().filter(issued_at__date__gte=first, issued_at__date__lte=last)
    return counts(letters, "issued_at", *fields, period=period)
