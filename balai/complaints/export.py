"""Public reports as CSV (open data): the columns, and cells safe in a spreadsheet."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

from balai.complaints.models import Complaint

EXPORT_MAX = 10_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "id",
    "kategori",
    "kode_desa",
    "desa",
    "kecamatan",
    "status",
    "unit",
    "diterima",
    "selesai",
    "uraian",
]


def csv_cell(value) -> str:
    """A cell spreadsheets show as text: no formula from a stranger's words."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def row(c: Complaint) -> list[str]:
    values = (
        c.public_id,
        c.category.name,
        c.village_id,
        c.village.name,
        c.village.district.name,
        c.get_status_display(),
        c.unit_label,
        c.created_at.isoformat(),
        c.resolved_at.isoformat() if c.resolved_at else "",
        c.description,
    )
    return [csv_cell(v) for v in values]


def csv_response(complaints: Iterable[Complaint], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    writer.writerows(row(c) for c in complaints)
    return response
