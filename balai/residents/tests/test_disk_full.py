"""The media disk full (a real tmpfs, filled): an upload is refused cleanly,
and an import already uploaded still runs (its progress file is a courtesy)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from balai.residents.choices import ImportStatus
from balai.residents.models import Resident, ResidentImport
from balai.residents.tasks import import_residents_task
from balai.residents.tests.conftest import person, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_upload_on_a_full_disk_keeps_no_job_and_no_file(cast, small_media_disk, tmp_path):
    from conftest import login

    path = write_csv(tmp_path / "warga.csv", [person()] * 1)
    padded = path.read_bytes() + b"\n" * 65536  # more than is left; blank lines are skipped
    client = login(Client(raise_request_exception=False), cast.operator_a)
    small_media_disk.fill(leave=8192)
    response = client.post(
        reverse("residents:import"), {"file": SimpleUploadedFile("warga.csv", padded)}
    )
    assert response.status_code == 507
    assert "Ruang penyimpanan berkas penuh" in response.content.decode()
    assert not ResidentImport.objects.exists()
    assert small_media_disk.files() == []


def test_an_uploaded_import_runs_although_the_disk_filled_up_since(
    cast, small_media_disk, tmp_path
):
    path = write_csv(tmp_path / "warga.csv", [person()])
    job = ResidentImport.objects.create(
        village=cast.village_a, uploaded_by=cast.operator_a, file_name="warga.csv"
    )
    job.file.save(f"{job.uuid}.bin", ContentFile(path.read_bytes()), save=True)
    small_media_disk.fill()
    import_residents_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    assert Resident.objects.count() == 1
    assert small_media_disk.files() == []  # the upload (personal data) deleted, no progress left
