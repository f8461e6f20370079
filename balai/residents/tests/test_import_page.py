import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from balai.residents.choices import ImportStatus
from balai.residents.models import Resident, ResidentImport
from balai.residents.tests.conftest import person, upload, write_csv


def test_an_upload_runs_the_import_and_shows_the_outcome(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    response = upload(client, write_csv(tmp_path / "warga.csv", [person()]))
    job = ResidentImport.objects.get()
    assert response.status_code == 302 and str(job.uuid) in response["Location"]
    assert job.status == ImportStatus.DONE and job.created == 1
    assert Resident.objects.get().village == cast.village_a
    body = client.get(response["Location"]).content.decode()
    assert "1 baru" in body


def test_a_bad_file_shows_every_problem_with_a_downloadable_report(
    cast, client, login_as, tmp_path
):
    login_as(cast.operator_a)
    upload(client, write_csv(tmp_path / "warga.csv", [person(nik="123"), person(nama="")]))
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.FAILED and job.error_count == 2
    assert Resident.objects.count() == 0
    body = client.get(reverse("residents:import-status", args=[job.uuid])).content.decode()
    assert "NIK harus 16 angka" in body and "tidak ada data yang disimpan" in body
    xlsx = client.get(reverse("residents:import-report", args=[job.uuid, "xlsx"]))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    )
    assert rows[0][:4] == ["baris", "kolom", "nilai", "alasan"] and len(rows) == 3
    csv = client.get(reverse("residents:import-report", args=[job.uuid, "csv"]))
    assert "Nama wajib diisi" in csv.content.decode("utf-8-sig")


def test_a_refused_file_gets_its_reason(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    upload(client, path)
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.FAILED and "Format berkas" in job.message


def test_the_form_refuses_other_extensions(cast, client, login_as):
    login_as(cast.operator_a)
    response = client.post(
        reverse("residents:import"), {"file": SimpleUploadedFile("a.exe", b"MZ")}
    )
    assert "xlsx" in response.content.decode() and not ResidentImport.objects.exists()


def test_another_villages_import_is_404(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    upload(client, write_csv(tmp_path / "warga.csv", [person()]))
    job = ResidentImport.objects.get()
    login_as(cast.operator_b)
    assert client.get(reverse("residents:import-status", args=[job.uuid])).status_code == 404
    report = reverse("residents:import-report", args=[job.uuid, "csv"])
    assert client.get(report).status_code == 404


def test_roles_without_import_rights_get_403_on_an_import(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    upload(client, write_csv(tmp_path / "warga.csv", [person()]))
    job = ResidentImport.objects.get()
    for user in (cast.agency_officer, cast.district_a, cast.admin, cast.command_center):
        login_as(user)
        assert client.get(reverse("residents:import-status", args=[job.uuid])).status_code == 403
        report = reverse("residents:import-report", args=[job.uuid, "xlsx"])
        assert client.get(report).status_code == 403


def test_downloading_an_import_report_with_full_niks_is_audited(cast, client, login_as, tmp_path):
    from balai.accounts.models import AuditLog

    login_as(cast.operator_a)
    nik = "3508019903850001"  # no 99th day: refused, and the report names it
    upload(client, write_csv(tmp_path / "warga.csv", [person(nik=nik)]))
    job = ResidentImport.objects.get()
    login_as(cast.secretary_a)
    csv = client.get(reverse("residents:import-report", args=[job.uuid, "csv"]))
    assert nik in csv.content.decode("utf-8-sig")
    log = AuditLog.objects.get(action="residents.import_report_downloaded")
    assert log.user == cast.secretary_a and log.object_id == str(job.pk)
    assert log.detail == {"format": "csv", "rows": 1}


def test_an_import_that_crashes_keeps_no_copy_of_the_file(cast, tmp_path, monkeypatch):
    """The uploaded file holds personal data: it goes even when the import fails unexpectedly."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from balai.residents import actions

    job = ResidentImport(village=cast.village_a, uploaded_by=cast.operator_a, file_name="w.csv")
    job.file.save("w.csv", ContentFile(write_csv(tmp_path / "w.csv", [person()]).read_bytes()))
    stored = job.file.name

    def crash(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(actions, "import_residents", crash)
    with pytest.raises(RuntimeError):
        actions.run_import_job(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.file
    assert not default_storage.exists(stored)


def test_the_status_page_masks_niks_and_kks_the_audited_report_keeps_them(
    cast, client, login_as, tmp_path
):
    login_as(cast.operator_a)
    twice = person()
    other = person(nama="Siti", no_kk="3508011403100009", ayah_nik="350801140385")
    upload(client, write_csv(tmp_path / "warga.csv", [twice, twice, other]))
    job = ResidentImport.objects.get()
    assert any(twice["nik"] == value for _row, _col, value, *_ in job.errors)
    body = client.get(reverse("residents:import-status", args=[job.uuid])).content.decode()
    assert "NIK ganda" in body
    assert twice["nik"] not in body and "350801140385" not in body
    assert f"{twice['nik'][:4]}••••••••{twice['nik'][-4:]}" in body
    report = client.get(reverse("residents:import-report", args=[job.uuid, "csv"]))
    assert twice["nik"] in report.content.decode("utf-8-sig")


def test_an_upload_is_audited_when_it_is_received(cast, client, login_as, tmp_path):
    from balai.accounts.models import AuditLog

    login_as(cast.operator_a)
    upload(client, write_csv(tmp_path / "warga.csv", [person()]), dry_run="on")
    job = ResidentImport.objects.get()
    row = AuditLog.objects.get(action="residents.import_uploaded")
    assert row.user == cast.operator_a and row.village_id == cast.village_a.pk
    assert row.object_id == str(job.pk)
    assert row.detail == {"file": "warga.csv", "dry_run": True}
