import datetime as dt
import zipfile

import pytest
from django.core.management import CommandError, call_command

from balai.accounts.models import AuditLog
from balai.residents.actions import import_residents
from balai.residents.choices import MaritalStatus, Religion, Status
from balai.residents.generate import Generator, write_opensid_xlsx
from balai.residents.importing import FileProblem, safety, writer
from balai.residents.models import Family, PopulationCount, Resident
from balai.residents.nik import make_nik
from balai.residents.tests.conftest import person, write_csv, write_ods


@pytest.fixture
def workbook(tmp_path, cast):
    path = tmp_path / "Data Penduduk.xlsx"
    write_opensid_xlsx(path, Generator(seed=5).residents(cast.village_a.code, 120))
    return path


def test_it_imports_an_opensid_workbook_and_a_second_import_changes_nothing(cast, workbook):
    first = import_residents(workbook, cast.village_a, user=cast.operator_a)
    assert first.ok and first.created == 120 and first.rows == 120
    assert Resident.objects.filter(village=cast.village_a).count() == 120
    assert Family.objects.filter(village=cast.village_a).count() == first.families_created
    assert PopulationCount.objects.filter(village=cast.village_a).exists()
    second = import_residents(workbook, cast.village_a, user=cast.operator_a)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 120)
    assert AuditLog.objects.filter(action="residents.imported").count() == 2


def test_it_updates_a_changed_resident_by_nik(cast, tmp_path):
    import_residents(write_csv(tmp_path / "a.csv", [person()]), cast.village_a)
    result = import_residents(
        write_csv(tmp_path / "b.csv", [person(nama="Budi Santosa", pekerjaan_id=88)]),
        cast.village_a,
    )
    assert (result.created, result.updated) == (0, 1)
    resident = Resident.objects.get()
    assert resident.name == "Budi Santosa" and resident.occupation == 88
    assert resident.name_key == "budi santosa"


def test_it_reads_labels_aliases_leading_zeros_and_stops_at_the_end_marker(cast, tmp_path):
    wife_birth = dt.date(1988, 7, 2)
    rows = [
        person(sex="LK", status_kawin="K", agama_id="Islam", pekerjaan_id="Petani/Pekebun", rt="2"),
        person(
            nama="Siti Aminah",
            sex="PR",
            birth=wife_birth,
            nik=make_nik("350801", wife_birth, 2, 7),
            status_kawin="kawin",
            kk_level="ISTRI",
            agama_id="KATOLIK",
            status_dasar="HIDUP",
        ),
        person(
            nama="Anak Sementara",
            nik="0350801200100001",
            status_kawin="BK",
            kk_level=4,
            tanggallahir="03/01/2025",
        ),
    ]
    result = import_residents(write_csv(tmp_path / "x.csv", rows, end_marker=True), cast.village_a)
    assert result.ok, result.problems
    assert result.rows == 3
    wife = Resident.objects.get(name="Siti Aminah")
    assert (wife.sex, wife.marital_status, wife.religion) == (
        2,
        MaritalStatus.MARRIED,
        Religion.KATHOLIK,
    )
    child = Resident.objects.get(nik="0350801200100001")
    assert child.birth_date == dt.date(2025, 1, 3)
    assert child.marital_status == MaritalStatus.SINGLE
    assert Family.objects.get().rt == "002"
    assert Family.objects.get().no_kk == "3508011403100001"


def test_every_bad_row_is_reported_and_nothing_is_saved(cast, tmp_path):
    rows = [
        person(),
        person(nama="", nik=make_nik("350801", dt.date(1985, 3, 14), 1, 2)),
        person(nik="12345", sex="X"),
        person(agama_id="Jedi", nik=make_nik("350801", dt.date(1985, 3, 14), 1, 3)),
        person(tanggallahir="kemarin", nik=make_nik("350801", dt.date(1985, 3, 14), 1, 4)),
        person(),  # the first row's NIK again
    ]
    result = import_residents(write_csv(tmp_path / "bad.csv", rows), cast.village_a)
    assert not result.ok
    assert Resident.objects.count() == 0 and Family.objects.count() == 0
    cells = {(row, column) for row, column, _value, _reason, level in result.problems}
    assert {
        (3, "nama"),
        (4, "nik"),
        (4, "sex"),
        (5, "agama_id"),
        (6, "tanggallahir"),
        (7, "nik"),
    } <= cells
    reasons = " ".join(p[3] for p in result.problems)
    assert "16 angka" in reasons and "ganda" in reasons


def test_missing_and_unknown_headers_are_named(cast, tmp_path):
    path = write_csv(tmp_path / "h.csv", [person()], columns=["nama_lengkap", "nik", "sex"])
    with pytest.raises(FileProblem) as exc:
        import_residents(path, cast.village_a)
    assert "nama, no_kk" in str(exc.value) and "nama_lengkap" in str(exc.value)


def test_a_nik_mismatch_is_a_warning_not_an_error(cast, tmp_path):
    row = person(tanggallahir="1985-03-15")
    result = import_residents(write_csv(tmp_path / "w.csv", [row]), cast.village_a)
    assert result.ok and result.created == 1 and result.warning_count == 1


def test_a_file_in_the_wrong_format_gets_a_clear_message(cast, tmp_path):
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FileProblem, match="Format berkas tidak dikenal"):
        import_residents(path, cast.village_a)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileProblem, match="rusak"):
        import_residents(path, cast.village_a)


def test_too_large_files_are_refused_before_parsing(cast, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 100)
    path = write_csv(tmp_path / "big.csv", [person()])
    with pytest.raises(FileProblem, match="terlalu besar"):
        import_residents(path, cast.village_a)


def test_zip_bombs_are_refused_before_parsing(cast, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 3_000_000 + "</a>")
    with pytest.raises(FileProblem, match="zip bomb"):
        import_residents(path, cast.village_a)


def test_xml_entity_tricks_are_refused(cast, tmp_path, workbook):
    evil = tmp_path / "evil.xlsx"
    billion_laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/sharedStrings.xml" or item.filename.endswith("sheet1.xml"):
                data = billion_laughs.encode()
            dst.writestr(item, data)
    with pytest.raises(FileProblem, match="DOCTYPE|XML"):
        import_residents(evil, cast.village_a)


def test_a_nik_of_another_village_is_refused_and_named_only_to_regency_staff(cast, tmp_path):
    path = write_csv(tmp_path / "a.csv", [person()])
    import_residents(path, cast.village_b)
    other_kk = write_csv(tmp_path / "b.csv", [person(no_kk="3508011403100002")])
    for_village = import_residents(other_kk, cast.village_a, user=cast.operator_a)
    assert not for_village.ok
    assert "desa lain" in for_village.problems[0][3]
    assert cast.village_b.name not in for_village.problems[0][3]
    for_admin = import_residents(other_kk, cast.village_a, user=cast.admin)
    assert cast.village_b.name in for_admin.problems[0][3]
    assert Resident.objects.get().village == cast.village_b


def test_a_temporary_nik_of_another_village_is_refused(cast, tmp_path):
    path = write_csv(tmp_path / "t.csv", [person(nik="0350802200100001")])
    result = import_residents(path, cast.village_a)
    assert not result.ok and "sementara" in result.problems[0][3]


def test_a_crash_half_way_leaves_the_registry_as_it_was(cast, workbook, monkeypatch):
    import_residents(workbook, cast.village_a)
    before = list(Resident.objects.order_by("pk").values_list("nik", "name", "updated_at"))
    Resident.objects.update(name="Diubah")
    changed = list(Resident.objects.order_by("pk").values_list("nik", "name", "updated_at"))
    monkeypatch.setattr(writer, "BATCH", 20)
    calls = {"n": 0}
    real = writer._Importer._write

    def crash_on_third(self, batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("killed")
        return real(self, batch)

    monkeypatch.setattr(writer._Importer, "_write", crash_on_third)
    with pytest.raises(RuntimeError):
        import_residents(workbook, cast.village_a)
    assert list(Resident.objects.order_by("pk").values_list("nik", "name", "updated_at")) == changed
    assert before != changed


def test_dry_run_saves_nothing(cast, workbook):
    result = import_residents(workbook, cast.village_a, dry_run=True)
    assert result.ok and result.created == 120
    assert Resident.objects.count() == 0


def test_cli_imports_with_dry_run_and_reports_errors(cast, workbook, tmp_path, capsys):
    call_command("import_residents", str(workbook), "--village", "3508012001", "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert Resident.objects.count() == 0
    call_command("import_residents", str(workbook), "--village", "35.08.01.2001")
    assert Resident.objects.count() == 120
    bad = write_csv(tmp_path / "bad.csv", [person(nik="1")])
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command(
            "import_residents", str(bad), "--village", "35.08.01.2001", "--errors", str(report)
        )
    assert "16 angka" in report.read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError, match="no village"):
        call_command("import_residents", str(bad), "--village", "35.09.01.2001")


def test_status_codes_six_becomes_moved(cast, tmp_path):
    import_residents(write_csv(tmp_path / "s.csv", [person(status_dasar=6)]), cast.village_a)
    assert Resident.objects.get().status == Status.MOVED


def test_it_reads_an_ods_spreadsheet(cast, tmp_path):
    columns = ["nik", "nama", "no_kk", "sex", "tanggallahir", "status_kawin"]
    row = person()
    path = write_ods(tmp_path / "warga.ods", [columns, [row[c] for c in columns]])
    result = import_residents(path, cast.village_a)
    assert result.ok, result.problems
    assert Resident.objects.get().nik == row["nik"]
