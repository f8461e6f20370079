"""Writing tables to xlsx and csv, safe against formula injection.

A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) is
written as text: XlsxWriter's `write_string` never makes formulas, and in CSV
such a value gets a leading apostrophe, as OWASP recommends.
"""

import csv
import datetime as dt
import io

import xlsxwriter
from django.utils.translation import gettext as _

from balai.residents.models import Resident

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(headers: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(headers: list[str], rows, sheet_name: str = "Data") -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, str(header), bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    r, col, dt.datetime(value.year, value.month, value.day), date_format
                )
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    workbook.close()
    return out.getvalue()


EXPORT_HEADERS = [
    "nik", "no_kk", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama",
    "pendidikan", "pekerjaan", "status_kawin", "hubungan_keluarga", "alamat", "dusun", "rt",
    "rw", "status",
]  # fmt: skip


def export_row(r: Resident) -> list:
    """One resident as a row of the registry export (full numbers: the export is audited)."""
    family = r.family
    return [
        r.nik,
        family.no_kk if family else "",
        r.name,
        r.get_sex_display(),
        r.birth_place,
        r.birth_date,
        r.get_religion_display() if r.religion else "",
        r.get_education_display() if r.education else "",
        r.get_occupation_display() if r.occupation else "",
        r.get_marital_status_display() if r.marital_status else "",
        r.get_relationship_display() if r.relationship else "",
        family.address if family else "",
        family.dusun if family else "",
        family.rt if family else "",
        family.rw if family else "",
        r.get_status_display(),
    ]


def own_data_rows(resident: Resident) -> list[tuple]:
    """(label, value) of everything held on a resident: their UU PDP right of access."""
    family = resident.family
    pairs = [
        (_("NIK"), resident.nik),
        (_("Nomor KK"), family.no_kk if family else ""),
        (_("Nama"), resident.name),
        (_("Jenis kelamin"), resident.get_sex_display()),
        (_("Tempat lahir"), resident.birth_place),
        (_("Tanggal lahir"), resident.birth_date),
        (_("Agama"), resident.get_religion_display() if resident.religion else ""),
        (_("Pendidikan"), resident.get_education_display() if resident.education else ""),
        (_("Pekerjaan"), resident.get_occupation_display() if resident.occupation else ""),
        (
            _("Status perkawinan"),
            resident.get_marital_status_display() if resident.marital_status else "",
        ),
        (
            _("Hubungan dalam keluarga"),
            resident.get_relationship_display() if resident.relationship else "",
        ),
        (_("Kewarganegaraan"), resident.get_citizenship_display()),
        (_("Golongan darah"), resident.get_blood_type_display() if resident.blood_type else ""),
        (_("Nama ayah"), resident.father_name),
        (_("NIK ayah"), resident.father_nik),
        (_("Nama ibu"), resident.mother_name),
        (_("NIK ibu"), resident.mother_nik),
        (_("Telepon"), resident.phone),
        (_("Alamat"), family.address if family else ""),
        (_("Dusun"), family.dusun if family else ""),
        (_("RT/RW"), f"{family.rt}/{family.rw}" if family else ""),
        (_("Desa"), str(resident.village)),
        (_("Status"), resident.get_status_display()),
    ]
    pairs += [
        (_("Peristiwa: %(kind)s") % {"kind": e.get_kind_display()}, e.date)
        for e in resident.events.all()
    ]
    return pairs
