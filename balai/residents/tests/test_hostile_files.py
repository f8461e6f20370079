"""Spreadsheets built to exhaust memory are refused before reading, in a child process.

The attack (issue 10.1): a 1.6 KB xlsx with one value in A1 and one in
XFD1048576 made python-calamine ask for 512 GiB and abort the task worker.
"""

import zipfile

import pytest

from balai.accounts.models import AuditLog
from balai.residents.actions import import_residents, run_import_job
from balai.residents.choices import ImportStatus
from balai.residents.importing import FileProblem, read_sheets
from balai.residents.models import Resident, ResidentImport
from balai.residents.tests.conftest import person, write_ods

HEADER = ["nik", "nama", "no_kk", "sex"]


def write_xlsx(path, sheet_xml: str):
    """A minimal xlsx whose only worksheet is `sheet_xml` (inline strings, no shared ones)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Data Penduduk" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{sheet_xml}</sheetData></worksheet>',
        )
    return path


def cell(ref: str, value: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def header_row() -> str:
    return (
        '<row r="1">'
        + "".join(cell(f"{c}1", h) for c, h in zip("ABCD", HEADER, strict=True))
        + "</row>"
    )


HOSTILE = {
    # the attack itself: one value at each end of the largest range Excel allows
    "corners.xlsx": lambda p: write_xlsx(
        p, header_row() + '<row r="1048576">' + cell("XFD1048576") + "</row>"
    ),
    # a cell whose own reference lies far below the row that holds it
    "hidden_row.xlsx": lambda p: write_xlsx(
        p, header_row() + '<row r="2">' + cell("A1048576") + cell("B2") + "</row>"
    ),
    # the smaller variant: far columns in a few rows
    "wide.xlsx": lambda p: write_xlsx(
        p, header_row() + "".join(f'<row r="{n}">{cell(f"XFD{n}")}</row>' for n in range(2, 9))
    ),
    # cells without references still take a column each
    "unreferenced.xlsx": lambda p: write_xlsx(
        p, header_row() + '<row r="2">' + '<c t="n"><v>1</v></c>' * 2000 + "</row>"
    ),
    # an ods: one filled cell repeated across 16,384 columns and a million rows
    "repeated.ods": lambda p: write_ods(
        p,
        [HEADER],
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16384"/></table:table-row>',
    ),
    # an ods: the far corner filled after empty repeats
    "corner.ods": lambda p: write_ods(
        p,
        [HEADER],
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/>'
        "</table:table-row><table:table-row>"
        '<table:table-cell table:number-columns-repeated="16383"/>'
        '<table:table-cell office:value-type="float" office:value="1"/></table:table-row>',
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_sheet_is_refused_before_reading_and_nothing_is_written(cast, tmp_path, name):
    path = HOSTILE[name](tmp_path / name)
    assert path.stat().st_size < 4096  # tiny files: the danger is what they declare
    with pytest.raises(FileProblem, match="terlalu besar"):
        import_residents(path, cast.village_a, user=cast.operator_a)
    assert not Resident.objects.exists()
    assert not AuditLog.objects.filter(action="residents.imported").exists()


def test_an_uploaded_hostile_file_fails_the_job_and_is_deleted(cast, tmp_path):
    from django.core.files import File

    path = HOSTILE["corners.xlsx"](tmp_path / "corners.xlsx")
    job = ResidentImport.objects.create(
        village=cast.village_a, uploaded_by=cast.operator_a, file_name="corners.xlsx"
    )
    with open(path, "rb") as f:
        job.file.save(f"{job.uuid}.bin", File(f), save=True)
    stored = job.file.path
    run_import_job(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "terlalu besar" in job.message
    assert not job.file
    import os

    assert not os.path.exists(stored)
    assert not Resident.objects.exists()


def test_a_reader_that_runs_out_of_memory_dies_alone_with_a_clear_message(tmp_path):
    """Whatever slips past the checks meets the child's memory limit, not the caller's."""
    row = person()
    path = write_ods(tmp_path / "a.ods", [HEADER, [row[c] for c in HEADER]])
    limit = 8 * 1024 * 1024  # less than the interpreter itself: the reader cannot even load
    with (
        pytest.raises(FileProblem, match=r"batas memori \(8 MB\)"),
        read_sheets(path, memory_limit=limit) as sheets,
    ):
        for sheet in sheets:
            list(sheet.rows)


def test_trailing_empty_repeats_as_libreoffice_saves_them_are_fine(cast, tmp_path):
    row = person()
    path = write_ods(
        tmp_path / "lo.ods",
        [HEADER, [row[c] for c in HEADER]],
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
    )
    result = import_residents(path, cast.village_a)
    assert result.ok, result.problems
    assert Resident.objects.get().nik == row["nik"]


def test_a_malformed_repeat_count_is_a_clear_refusal(cast, tmp_path):
    path = write_ods(
        tmp_path / "odd.ods",
        [HEADER],
        '<table:table-row><table:table-cell table:number-columns-repeated="many"/>'
        "</table:table-row>",
    )
    with pytest.raises(FileProblem, match="tidak dapat dibaca"):
        import_residents(path, cast.village_a)
