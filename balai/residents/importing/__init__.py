"""Reading residents files (OpenSID's "Data Penduduk" workbook, xlsx/xls/ods/csv).

`import_file` checks the file before any parser sees it (size, zip bomb, XML
entity tricks), streams its rows, validates each one (every bad row reported:
row, column, value, reason in Indonesian) and upserts by NIK in batches inside
one transaction: nothing is written unless the whole file is good, and a crash
or kill half-way leaves the registry as it was. Importing the same file twice
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from balai.residents.importing.rows import OPENSID_COLUMNS, ImportResult
from balai.residents.importing.safety import MAX_FILE_BYTES, FileProblem
from balai.residents.importing.sheets import Sheet, read_sheets
from balai.residents.importing.writer import import_sheets

__all__ = [
    "MAX_FILE_BYTES",
    "OPENSID_COLUMNS",
    "FileProblem",
    "ImportResult",
    "Sheet",
    "import_file",
    "import_sheets",
    "read_sheets",
]


def import_file(
    path: Path,
    village,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    show_other_village: bool = False,
    finish: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check, validate and upsert a residents file into `village`; all or nothing."""
    with read_sheets(Path(path)) as sheets:
        return import_sheets(
            sheets,
            village,
            dry_run=dry_run,
            progress=progress,
            show_other_village=show_other_village,
            finish=finish,
        )
