"""Reading untrusted spreadsheets in a child process with bounded memory.

python-calamine turns a sheet into one dense range from its first to its last
filled cell: an xlsx of 1.6 KB with a value in A1 and one in XFD1048576 asks
for 512 GiB and aborts the process. So, before calamine sees a sheet, its
extent is measured by streaming the XML (xlsx: cell references; ods: rows and
columns with their repeat counts) and refused past MAX_ROWS, MAX_COLUMNS and
MAX_CELLS. Reading then happens in a child process (`python -m
balai.lib.spreadsheets`) under an address-space limit: whatever slips past the
checks (an .xls has no XML to measure) kills only the child, and the caller
gets a SheetError instead of losing its process. Rows come back over a pipe in
pickled batches (only plain values and datetime types are unpickled).

No Django here: the child imports this module alone.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import fcntl
import io
import json
import pickle
import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

import defusedxml.ElementTree as SafeET
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

MAX_ROWS = 200_000
MAX_COLUMNS = 1024
MAX_CELLS = 4_000_000  # of one sheet's dense range; calamine keeps 32 bytes a cell
MAX_SHARED_STRINGS_BYTES = 150 * 1024 * 1024
MEMORY_LIMIT_BYTES = 480 * 1024 * 1024  # the child's address space
CPU_LIMIT_SECONDS = 600
BATCH_ROWS = 2000
PIPE_BYTES = 1024 * 1024  # Linux's default maximum for a pipe: fewer hand-overs
_CHUNK = 1024 * 1024


class SheetError(Exception):
    """The file cannot be read; `code` and `params` say why (the caller words it)."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class Sheet:
    name: str
    rows: Iterator[list]  # the header row first
    height: int  # rows including the header, or an estimate


# --- measuring a sheet before it is read (child side) ---------------------------------------

_COLUMN_REF = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_ROW_REF = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,9})"')
_ROW_TAG_REF = re.compile(rb'<row r="([0-9]{1,9})"')
_PAST_AZ = re.compile(rb' r="(?:[A-Z]{3}|[B-Z][A-Z])[0-9]')  # a column after AZ (52)


def _greater_than(number: int) -> bytes:
    """A regular expression for the decimal numbers above `number`."""
    digits = str(number)
    options = [b"[0-9]{%d,}" % (len(digits) + 1)]
    for i, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - i - 1
            options.append(b"%s[%d-9][0-9]{%d}" % (digits[:i].encode(), int(digit) + 1, rest))
    return b"(?:" + b"|".join(options) + b")"


def _max_column(body: bytes) -> int:
    """The last column referenced; up to AZ it is 52, found without listing every cell."""
    if not _PAST_AZ.search(body):
        return 52 if _COLUMN_REF.search(body) else 0
    return max((column_number(c) for c in set(_COLUMN_REF.findall(body))), default=0)


def _max_row(body: bytes, known: int) -> int:
    """The last row referenced by a row or a cell.

    Rows are read from `<row r=..>` tags; every cell is then checked at once for a
    row number above them, and only then are all cell references listed.
    """
    tags = _ROW_TAG_REF.findall(body)
    top = max(known, max(map(int, tags))) if tags else known
    if not re.search(rb' r="[A-Z]{1,3}' + _greater_than(top) + b'"', body):
        return top
    return max(top, max(map(int, set(_ROW_REF.findall(body)))))


# `<c>`, `<c/>`, `<row>` or a tag whose first attribute is not `r` (Excel, LibreOffice,
# openpyxl and XlsxWriter all write `r` first): taken as unreferenced.
_UNREFERENCED = re.compile(rb"<(c|row)(?:>|/>| (?!r=))")
_UNREFERENCED_PREFIXED = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?:>|/>|\s(?!r=))")
_DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension ref="([A-Z]{1,3})?([0-9]*):?([A-Z]{1,3})?([0-9]*)"'
)


def _unreferenced(body: bytes) -> tuple[int, int]:
    """(cells, rows) without their own `r` reference in a piece of worksheet XML."""
    if b":c" in body or b":row" in body:  # namespace prefixes: the slower expression
        found = _UNREFERENCED_PREFIXED.findall(body)
    else:
        found = _UNREFERENCED.findall(body)
    cells = found.count(b"c")
    return cells, len(found) - cells


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise SheetError(
            "too_big",
            sheet=sheet,
            rows=rows,
            columns=columns,
            max_rows=MAX_ROWS,
            max_columns=MAX_COLUMNS,
            max_cells=MAX_CELLS,
        )


def measure_xlsx_sheet(member, sheet: str) -> tuple[int, int]:
    """(rows, columns) bounding every cell of a worksheet part, read in 1 MB chunks.

    A cell or row without its `r` reference sits after the previous one, so
    each such tag can push the bound by one: counted, never ignored.
    """
    max_row = max_col = 0
    loose_cells = loose_rows = 0
    carry = b""
    declared = None
    first = True
    while True:
        chunk = member.read(_CHUNK)
        data = carry + chunk
        # Keep an unfinished tag for the next round so no reference is cut in two.
        cut = data.rfind(b"<") if chunk else len(data)
        body, carry = data[:cut], data[cut:]
        if first:  # the dimension comes before the cells
            declared, first = _DIMENSION.search(body), False
        max_col = max(max_col, _max_column(body))
        max_row = _max_row(body, max_row)
        cells, rows = _unreferenced(body)
        loose_cells, loose_rows = loose_cells + cells, loose_rows + rows
        if not chunk:
            break
        _check_extent(sheet, max_row + loose_rows, max_col + loose_cells)
    if declared is not None:
        first_col, first_row, last_col, last_row = declared.groups()
        _check_extent(
            sheet,
            int(last_row or first_row or 0),
            column_number(last_col or first_col or b""),
        )
    # Each unreferenced cell or row can sit one place further than the last.
    rows, columns = max_row + loose_rows, max_col + loose_cells
    _check_extent(sheet, rows, columns)
    return rows, columns


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _forbid_dtd(*_args):
    raise DTDForbidden(None, None, None)


def _forbid_entity(*_args):
    raise EntitiesForbidden(None, None, None, None, None, None)


def _forbid_external(*_args):
    raise ExternalReferenceForbidden(None, None, None, None)


def safe_expat():
    """An expat parser that refuses DTDs and entities, as defusedxml's parsers do."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_entity
    parser.ExternalEntityRefHandler = _forbid_external
    return parser


_ODS_TABLE = f"{_TABLE_NS} table"
_ODS_TABLE_NAME = f"{_TABLE_NS} name"
_ODS_ROW = f"{_TABLE_NS} table-row"
_ODS_CELLS = {f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell"}
_ODS_ROWS_REPEATED = f"{_TABLE_NS} number-rows-repeated"
_ODS_COLS_REPEATED = f"{_TABLE_NS} number-columns-repeated"
_ODS_VALUE_TYPE = f"{_OFFICE_NS} value-type"


class _OdsExtent:
    """Expat handlers that follow each table's filled extent, repeats expanded."""

    def __init__(self) -> None:
        self.table, self.row, self.col, self.repeat = "", 0, 0, 1
        self.filled, self.last, self.cols = 0, 0, 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in _ODS_CELLS:
            self.col += int(attrs.get(_ODS_COLS_REPEATED, 1))
            if _ODS_VALUE_TYPE in attrs:
                self.filled = self.col
        elif name == _ODS_ROW:
            self.col, self.filled = 0, 0
            self.repeat = int(attrs.get(_ODS_ROWS_REPEATED, 1))
        elif name == _ODS_TABLE:
            self.table, self.row, self.last, self.cols = attrs.get(_ODS_TABLE_NAME, ""), 0, 0, 0
        elif name.startswith(_TEXT_NS):  # text in a cell fills it
            self.filled = self.col
        if self.col > MAX_COLUMNS * 16 or self.repeat > MAX_ROWS * 16:
            # Even empty, this many repeats cost calamine memory and time.
            _check_extent(self.table, self.repeat, self.col)

    def end(self, name: str) -> None:
        if name == _ODS_ROW:
            self.row += self.repeat
            if self.filled:
                self.last = self.row
                self.cols = max(self.cols, self.filled)
            _check_extent(self.table, self.last, self.cols)


def measure_ods(member) -> None:
    """Refuse a table whose filled cells, repeats expanded, reach past the limits."""
    extent = _OdsExtent()
    parser = safe_expat()
    parser.StartElementHandler = extent.start
    parser.EndElementHandler = extent.end
    while chunk := member.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _xlsx_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """{worksheet part: sheet name} from the workbook and its relationships."""
    names: dict[str, str] = {}
    try:
        workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return names
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "").lstrip("/")
            part = target if target.startswith("xl/") else f"xl/{target}"
            names[part] = sheet.get("name", part)
    return names


def measure(path: str, fmt: str) -> None:
    """Refuse, before any reading, a workbook whose sheets would not fit the limits."""
    if fmt != "zip":
        return
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: info for info in archive.infolist()}
        if "content.xml" in members:
            with archive.open("content.xml") as member:
                measure_ods(member)
            return
        shared = members.get("xl/sharedStrings.xml")
        if shared and shared.file_size > MAX_SHARED_STRINGS_BYTES:
            raise SheetError("too_many_strings", mb=MAX_SHARED_STRINGS_BYTES // (1024 * 1024))
        names = _xlsx_parts(archive)
        for name, info in members.items():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(info) as member:
                    measure_xlsx_sheet(member, names.get(name, name))


# --- reading (child side) ------------------------------------------------------------------


def _csv_rows(path: str) -> tuple[Iterator[list], int]:
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "cp1252"
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    with open(path, "rb") as f:
        size = f.seek(0, io.SEEK_END)
    estimate = max(1, head.count(b"\n") * size // max(len(head), 1))

    def rows():
        with open(path, encoding=encoding, errors="replace", newline="") as f:
            yield from csv.reader(f, delimiter=delimiter)

    return rows(), estimate


def _read(path: str, fmt: str, skipped: set[str]) -> Iterator[tuple[str, Iterator[list], int]]:
    if fmt == "csv":
        rows, estimate = _csv_rows(path)
        yield "csv", rows, estimate
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
    except Exception:
        raise SheetError("unreadable") from None
    names = [n for n in workbook.sheet_names if n.strip().lower() not in skipped]
    if not names:
        raise SheetError("no_sheets")
    for name in names:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:
            raise SheetError("sheet_unreadable", sheet=name) from None
        yield name, sheet.iter_rows(), sheet.height


def _peak_kb() -> int | None:
    """This process's peak resident memory (Linux), reported back for measurements."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
    except (OSError, StopIteration, ValueError):
        return None


def child_main(options: dict) -> None:
    memory = options["memory"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT_SECONDS, CPU_LIMIT_SECONDS))
    # Started early, the child waits here while the caller checks and measures the file.
    line = sys.stdin.readline()
    if not line:
        return
    path, fmt = json.loads(line)
    skipped = set(options["skipped"])
    out = sys.stdout.buffer

    def send(message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        for name, rows, height in _read(path, fmt, skipped):
            send(("sheet", name, height))
            batch: list[list] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    send(("rows", batch))
                    batch = []
            if batch:
                send(("rows", batch))
        send(("done", _peak_kb()))
    except SheetError as exc:
        send(("error", exc.code, exc.params, _peak_kb()))
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, csv.Error, OSError):
        # defusedxml's refusals are ValueErrors too
        send(("error", "unreadable", {}, _peak_kb()))
    out.flush()


# --- the caller's side ---------------------------------------------------------------------


class _Unpickler(pickle.Unpickler):
    """Only the types a cell can hold: nothing else is ever constructed from the pipe."""

    ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time")}
    ALLOWED |= {("datetime", "timedelta")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


class SheetReader:
    """Reads a file in a child process: `with SheetReader() as r: r.read(path, fmt)`.

    The child starts on entry (its interpreter boots while the caller checks the
    file); `read` measures the file here, then lets the child read it.
    """

    def __init__(self, skipped=frozenset(), memory_limit: int = MEMORY_LIMIT_BYTES):
        self.options = {"skipped": sorted(skipped), "memory": memory_limit}
        self._pending = None
        self.peak_kb: int | None = None  # the child's peak memory, once it has finished

    def __enter__(self) -> SheetReader:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "balai.lib.spreadsheets",
                json.dumps(self.options),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # cell values must not reach a log
        )
        # Both pipes exist (PIPE above): named once so no use has to check for None.
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests: IO[bytes] = self.process.stdin
        self.replies: IO[bytes] = self.process.stdout
        with contextlib.suppress(AttributeError, OSError):  # F_SETPIPE_SZ: Linux only
            fcntl.fcntl(self.replies, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.process.kill()
        for stream in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                stream.close()
        self.process.wait()

    def read(self, path, fmt: str) -> Iterator[Sheet]:
        """Measure `path` (SheetError past the limits), then have the child read it."""
        try:
            measure(str(path), fmt)
        except (zipfile.BadZipFile, expat.ExpatError, ValueError, OSError):
            # defusedxml's refusals are ValueErrors too
            raise SheetError("unreadable") from None
        try:
            self.requests.write(json.dumps([str(path), fmt]).encode() + b"\n")
            self.requests.close()
        except OSError:  # the child is already gone: _next says how
            pass
        return self.sheets()

    def _next(self):
        if self._pending is not None:
            message, self._pending = self._pending, None
            return message
        try:
            # A fresh unpickler per message: each message has its own memo.
            message = _Unpickler(self.replies).load()
        except EOFError:
            code = self.process.wait()
            mb = self.options["memory"] // 2**20
            raise SheetError("died", returncode=code, mb=mb) from None
        except pickle.UnpicklingError:
            raise SheetError("unreadable") from None
        if message[0] == "error":
            self.peak_kb = message[3]
            raise SheetError(message[1], **message[2])
        return message

    def _rows(self) -> Iterator[list]:
        while True:
            message = self._next()
            if message[0] != "rows":
                self._pending = message
                return
            yield from message[1]

    def sheets(self) -> Iterator[Sheet]:
        while (message := self._next())[0] == "sheet":
            sheet = Sheet(message[1], self._rows(), message[2])
            yield sheet
            for _ in sheet.rows:  # what the caller left unread (after an end marker)
                pass
        self.peak_kb = message[1]


if __name__ == "__main__":
    child_main(json.loads(sys.argv[1]))
