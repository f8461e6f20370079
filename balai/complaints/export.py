"""Public reports as CSV (open data): the columns, and cells safe in a spreadsheet."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

from balai.complaints.models import Complaint
from balai.lib.tables import csv_safe

EXPORT_MAX = 10_000
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
    # Cells spreadsheets show as text: no formula from a stranger's words.
    return [csv_safe(v) for v in values]


def csv_response(complaints: Iterable[Complaint], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    writer.writerows(row(c) for c in complaints)
    return response
