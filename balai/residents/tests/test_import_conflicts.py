"""Imports never overwrite another person silently (issue 11, item 9), and the
import page offers a file to fill in."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from balai.accounts.models import AuditLog
from balai.residents.choices import ImportStatus
from balai.residents.importing.template import TEMPLATE_COLUMNS
from balai.residents.models import Resident, ResidentImport
from balai.residents.tests.conftest import person, write_csv


def upload(client, path, **extra):
    with open(path, "rb") as f:
        data = SimpleUploadedFile(path.name, f.read())
    return client.post(reverse("residents:import"), {"file": data, **extra})


def registered(client, tmp_path):
    """Budi, registered by a first import; a second file gives his NIK to Wati."""
    upload(client, write_csv(tmp_path / "first.csv", [person()]))
    budi = Resident.objects.get()
    other = person(nama="Wati Lestari", tanggallahir="1990-01-02", nik=budi.nik)
    newcomer = person(nama="Joko", nik=person(birth=dt.date(1991, 5, 6))["nik"], kk_level=2)
    return budi, write_csv(tmp_path / "second.csv", [other, newcomer])


def test_a_dry_run_flags_the_conflict_and_writes_nothing(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    budi, second = registered(client, tmp_path)
    upload(client, second, dry_run="on")
    job = ResidentImport.objects.order_by("-pk").first()
    assert job.dry_run and job.status == ImportStatus.DONE
    assert job.conflict_count == 1
    page = client.get(reverse("residents:import-status", args=[job.uuid])).content.decode()
    assert "NIK milik penduduk lain" in page and "Wati Lestari" in page
    assert "Pakai data berkas" not in page  # decided on the real run
    budi.refresh_from_db()
    assert budi.name == "Budi Santoso"
    assert Resident.objects.count() == 1


def test_the_real_run_keeps_the_existing_person_and_imports_the_rest(
    cast, client, login_as, tmp_path
):
    login_as(cast.operator_a)
    budi, second = registered(client, tmp_path)
    upload(client, second)
    job = ResidentImport.objects.order_by("-pk").first()
    assert job.status == ImportStatus.DONE and job.created == 1 and job.updated == 0
    assert job.conflict_count == 1
    budi.refresh_from_db()
    assert (budi.name, budi.birth_date) == ("Budi Santoso", dt.date(1985, 3, 14))
    assert Resident.objects.filter(name="Joko").exists()


def test_staff_take_the_new_row_with_before_and_after_audited(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    budi, second = registered(client, tmp_path)
    upload(client, second)
    job = ResidentImport.objects.order_by("-pk").first()
    url = reverse("residents:import-conflict", args=[job.uuid, 0])
    assert url in client.get(reverse("residents:import-status", args=[job.uuid])).content.decode()
    client.post(url, {"decision": "take"})
    budi.refresh_from_db()
    assert (budi.name, budi.birth_date) == ("Wati Lestari", dt.date(1990, 1, 2))
    row = AuditLog.objects.get(action="resident.import_conflict_taken")
    assert row.detail["before"]["name"] == "Budi Santoso"
    assert row.detail["after"]["name"] == "Wati Lestari"
    # decided once
    response = client.post(url, {"decision": "keep"}, follow=True)
    assert "sudah diputuskan" in response.content.decode()


def test_staff_keep_the_existing_record(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    budi, second = registered(client, tmp_path)
    upload(client, second)
    job = ResidentImport.objects.order_by("-pk").first()
    client.post(reverse("residents:import-conflict", args=[job.uuid, 0]), {"decision": "keep"})
    budi.refresh_from_db()
    assert budi.name == "Budi Santoso"
    assert AuditLog.objects.filter(action="resident.import_conflict_kept").exists()
    job.refresh_from_db()
    assert job.conflicts[0]["decision"] == "keep"


def test_a_corrected_name_is_an_update_not_a_conflict(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    upload(client, write_csv(tmp_path / "a.csv", [person()]))
    upload(client, write_csv(tmp_path / "b.csv", [person(nama="Budi Santosa")]))
    job = ResidentImport.objects.order_by("-pk").first()
    assert job.conflict_count == 0 and job.updated == 1


def test_other_villages_staff_cannot_decide(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    _budi, second = registered(client, tmp_path)
    upload(client, second)
    job = ResidentImport.objects.order_by("-pk").first()
    login_as(cast.operator_b)
    url = reverse("residents:import-conflict", args=[job.uuid, 0])
    assert client.post(url, {"decision": "take"}).status_code == 404
    login_as(cast.district_a)
    assert client.post(url, {"decision": "take"}).status_code == 403


def test_the_template_files_import_as_they_are(cast, client, login_as, tmp_path):
    login_as(cast.operator_a)
    assert (
        reverse("residents:import-template", args=["xlsx"])
        in client.get(reverse("residents:import")).content.decode()
    )
    xlsx = client.get(reverse("residents:import-template", args=["xlsx"]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0] == TEMPLATE_COLUMNS and len(rows) == 2
    csv = client.get(reverse("residents:import-template", args=["csv"]))
    path = tmp_path / "contoh.csv"
    path.write_bytes(csv.content)
    upload(client, path, dry_run="on")
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.DONE, job.errors
    assert job.error_count == 0
