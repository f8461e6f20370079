"""Task workers are kept alive, and what a dead one held is failed or resumed."""

import datetime as dt
import os
import signal
import sys
import time

import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from balai.accounts.models import AuditLog
from balai.core.media import sweep_orphans
from balai.core.worker import WorkerSupervisor, recover_interrupted_work
from balai.residents.actions import progress_path
from balai.residents.choices import ImportStatus
from balai.residents.models import ResidentImport
from balai.residents.tasks import import_residents_task

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_dead_worker_is_started_again():
    supervisor = WorkerSupervisor(command=SLEEPER, backoff=0)
    first = supervisor.start()
    try:
        supervisor.check()  # alive: nothing happens
        assert supervisor.process is first
        os.kill(first.pid, signal.SIGKILL)  # what the kernel does to a worker out of memory
        first.wait()
        supervisor.check()
        assert supervisor.process is not first
        assert supervisor.process.poll() is None
    finally:
        supervisor.stop()
        supervisor.wait()
    supervisor.check()  # stopping: not started again
    assert supervisor.process.poll() is not None


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def running_import(cast, worker_id):
    job = ResidentImport.objects.create(
        village=cast.village_a,
        uploaded_by=cast.operator_a,
        file_name="warga.xlsx",
        status=ImportStatus.RUNNING,
    )
    job.file.save(f"{job.uuid}.bin", ContentFile(b"personal data"), save=True)
    progress_path(job).parent.mkdir(parents=True, exist_ok=True)
    progress_path(job).write_text('{"done": 1, "total": 9}')
    result = import_residents_task.enqueue(job.pk)
    DBTaskResult.objects.get(pk=result.id).claim(worker_id)
    return job, result


@pytest.mark.django_db
def test_recovery_fails_the_imports_the_dead_worker_held_and_removes_their_files(
    cast, database_tasks
):
    job, result = running_import(cast, "w1")
    stored = job.file.path
    others, others_result = running_import(cast, "w2")  # a live worker's
    waiting = ResidentImport.objects.create(
        village=cast.village_a, uploaded_by=cast.operator_a, file_name="antre.csv"
    )

    assert recover_interrupted_work("w1") == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "unggah ulang" in job.message
    assert not job.file and not os.path.exists(stored)
    assert not progress_path(job).exists()
    assert AuditLog.objects.filter(
        action="residents.import_interrupted", object_id=str(job.pk)
    ).exists()
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    others.refresh_from_db()
    assert others.status == ImportStatus.RUNNING and others.file
    assert DBTaskResult.objects.get(pk=others_result.id).status == "RUNNING"
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.QUEUED  # still waiting: a worker takes it


@pytest.mark.django_db
def test_recovery_queues_the_chains_a_dead_worker_broke_again(cast, database_tasks):
    from balai.cctv.tasks import probe_shard, start_round
    from balai.webhooks.tasks import deliver_due

    for chosen, args in ((deliver_due, ()), (probe_shard, (0, 1))):
        DBTaskResult.objects.get(pk=chosen.enqueue(*args).id).claim("w1")
    assert not DBTaskResult.objects.ready().exists()

    recover_interrupted_work("w1")

    ready = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    path = "{0.func.__module__}.{0.func.__qualname__}".format
    assert {path(deliver_due), path(start_round)} <= ready


@pytest.mark.django_db
def test_files_no_row_names_are_swept_once_old(cast, settings):
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    job = ResidentImport.objects.create(
        village=cast.village_a, uploaded_by=cast.operator_a, file_name="warga.csv"
    )
    job.file.save("named.bin", ContentFile(b"x"), save=True)
    folder = root / "residents" / "imports"
    orphan, young, partial = folder / "orphan.bin", folder / "young.bin", folder / ".ab.partial"
    for path in (orphan, young, partial):
        path.write_bytes(b"personal data")
    old = time.time() - 2 * 3600
    for path in (orphan, partial, Path(job.file.path)):
        os.utime(path, (old, old))

    removed = sweep_orphans(dt.timedelta(hours=1))

    assert sorted(removed) == sorted([orphan, partial])
    assert young.exists() and Path(job.file.path).exists()
