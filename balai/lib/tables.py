"""Writing tables to xlsx and csv, safe against formula injection (every export).

A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) is
written as text: XlsxWriter's `write_string` never makes formulas, and in CSV
such a value gets a leading apostrophe, as OWASP recommends.
"""

import csv
import datetime as dt
import io

import xlsxwriter

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
