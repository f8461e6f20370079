"""Reading sheets: every sheet of a workbook (or the CSV) as rows, header first.

The reading itself happens in a child process with bounded memory
(`balai.lib.spreadsheets`); here its refusals become Indonesian messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext as _

from balai.lib.spreadsheets import Sheet, SheetError, SheetReader
from balai.residents.importing.safety import FileProblem, check_file

SKIPPED_SHEETS = {"kode data"}

__all__ = ["SKIPPED_SHEETS", "Sheet", "read_sheets"]


def sheet_message(error: SheetError) -> str:
    params = error.params
    if error.code == "too_big":
        return _(
            "Lembar '%(sheet)s' terlalu besar: %(rows)s baris x %(columns)s kolom terpakai "
            "(maksimal %(max_rows)s baris, %(max_columns)s kolom, %(max_cells)s sel). "
            "Hapus isi sel di luar tabel data lalu unggah ulang."
        ) % {k: f"{v:,}".replace(",", ".") if isinstance(v, int) else v for k, v in params.items()}
    if error.code == "too_many_strings":
        return _("Teks dalam berkas ini terlalu banyak (lebih dari %(mb)s MB); ditolak.") % params
    if error.code == "died":
        return (
            _(
                "Berkas ini tidak dapat dibaca dalam batas memori (%(mb)s MB) dan waktu baca, "
                "jadi ditolak; data penduduk tidak berubah. Periksa sel terisi yang jauh di "
                "luar tabel data."
            )
            % params
        )
    if error.code == "no_sheets":
        return _("Berkas tidak berisi lembar data penduduk.")
    if error.code == "sheet_unreadable":
        return _("Lembar '%(sheet)s' tidak dapat dibaca.") % params
    return _("Berkas lembar kerja tidak dapat dibaca (rusak atau terkunci).")


@contextmanager
def read_sheets(path: Path, **options) -> Iterator[Iterator[Sheet]]:
    """The file's sheets, checked, measured and read by a child process.

    Refusals raise FileProblem; one may come while rows are being read, inside
    the import's transaction: it leaves that transaction first, so nothing is
    written.
    """
    try:
        with SheetReader(SKIPPED_SHEETS, **options) as reader:
            fmt = check_file(path)  # while the child's interpreter starts
            yield reader.read(path, fmt)
    except SheetError as exc:
        raise FileProblem(sheet_message(exc)) from None
