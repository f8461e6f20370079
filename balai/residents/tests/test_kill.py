"""The task worker killed (SIGKILL) in the middle of an import, its rows
written but not committed: nothing of the file is kept, and when the worker
starts again the job is failed with a message, its upload and progress file
deleted; the next upload is imported (docs/faults.md)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from balai.accounts.models import AuditLog
from balai.core.tests.faults import pause_env, paused, wait_until
from balai.residents import progress
from balai.residents.actions import start_import
from balai.residents.choices import ImportStatus
from balai.residents.models import Resident, ResidentImport
from balai.residents.tests.conftest import person, write_csv

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.deployment]

STEP = "residents.import.before-commit"


def upload(cast, tmp_path, name, people):
    path = write_csv(tmp_path / name, people)
    return start_import(
        cast.village_a,
        SimpleUploadedFile(name, path.read_bytes()),
        user=cast.operator_a,
        dry_run=False,
    )


def status_of(job):
    return ResidentImport.objects.values_list("status", flat=True).get(pk=job.pk)


def test_a_worker_killed_mid_import_keeps_nothing_half_written(
    deployment, cast, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    pauses = tmp_path / "pauses"
    site = deployment(web=1, workers=1, env=pause_env(pauses, STEP))
    worker = site.workers[0]
    people = [person(nama=f"Warga {i}", nik=f"35080114038500{i:02d}") for i in range(1, 21)]
    job = upload(cast, tmp_path, "warga.csv", people)
    stored = job.file.path

    paused(pauses, STEP)
    worker.kill()
    assert not Resident.objects.exists()  # the rows died with the transaction
    assert status_of(job) == ImportStatus.RUNNING
    assert progress.read(job) == (20, 20)  # every row read, none committed

    worker.env = {**site.env, "BALAI_PAUSE_AT": ""}
    worker.start()  # as systemd would; ready once it has recovered
    assert status_of(job) == ImportStatus.FAILED
    job.refresh_from_db()
    assert "unggah ulang" in job.message
    assert not job.file and not Path(stored).exists()
    assert progress.read(job) == (0, 0)
    assert not Resident.objects.exists()
    assert AuditLog.objects.filter(action="residents.import_interrupted").count() == 1
    assert DBTaskResult.objects.get().status == "FAILED"

    again = upload(cast, tmp_path, "warga-lagi.csv", people)
    wait_until(lambda: status_of(again) == ImportStatus.DONE, "the new upload to be imported")
    assert Resident.objects.count() == 20
