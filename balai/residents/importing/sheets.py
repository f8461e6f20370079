"""Reading sheets: every sheet of a workbook (or the CSV) as rows, header first."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from balai.residents.importing.safety import FileProblem

SKIPPED_SHEETS = {"kode data"}


@dataclass
class Sheet:
    name: str
    rows: Iterator[list]  # the header row first
    height: int  # rows including the header, or an estimate


def iter_sheets(path: Path, fmt: str) -> Iterator[Sheet]:
    if fmt == "csv":
        yield _csv_sheet(path)
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:
        raise FileProblem(
            _("Berkas lembar kerja tidak dapat dibaca (rusak atau terkunci).")
        ) from None
    names_ = [n for n in workbook.sheet_names if n.strip().lower() not in SKIPPED_SHEETS]
    if not names_:
        raise FileProblem(_("Berkas tidak berisi lembar data penduduk."))
    for sheet_name in names_:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.iter_rows()
        except Exception:
            raise FileProblem(
                _("Lembar '%(sheet)s' tidak dapat dibaca.") % {"sheet": sheet_name}
            ) from None
        yield Sheet(sheet_name, rows, sheet.height)


def _csv_sheet(path: Path) -> Sheet:
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    size = path.stat().st_size
    estimate = max(1, head.count(b"\n") * size // max(len(head), 1))

    def rows():
        with open(path, encoding=encoding, errors="replace", newline="") as f:
            yield from csv.reader(f, delimiter=delimiter)

    return Sheet("csv", rows(), estimate)
