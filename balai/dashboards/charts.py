"""Server-rendered SVG geometry for the dashboard's charts (no JavaScript).

Columns over time in a viewBox 100 wide; every chart has its text table beside
it in the page (the table is what screen readers and exports read)."""

from __future__ import annotations

import datetime as dt

HEIGHT = 40


def bucket_end(first: dt.date, bucket: str) -> dt.date:
    """The last day of the day, week or month starting at `first`."""
    if bucket == "day":
        return first
    if bucket == "week":
        return first + dt.timedelta(days=6)
    months = first.year * 12 + first.month  # the next month, zero-based
    return dt.date(months // 12, months % 12 + 1, 1) - dt.timedelta(days=1)


def bars(items: list[tuple[str, int | None]]) -> dict:
    """Columns left to right, highest to scale; hidden (None) values draw nothing."""
    top = max((n or 0 for _label, n in items), default=0) or 1
    width = 100 / max(len(items), 1)
    columns = []
    for i, (label, n) in enumerate(items):
        h = round(HEIGHT * (n or 0) / top, 2)
        columns.append(
            {
                "x": round(i * width + width * 0.1, 2),
                "y": round(HEIGHT - h, 2),
                "width": round(width * 0.8, 2),
                "height": h,
                "label": label,
                "value": n,
            }
        )
    return {"columns": columns, "height": HEIGHT, "top": top}
