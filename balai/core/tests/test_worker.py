"""`balai serve` keeps its task worker alive and closes the work a dead one held."""

import os
import signal
import sys
import time

import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from balai.accounts.models import AuditLog
from balai.core.worker import WorkerSupervisor, recover_interrupted_work
from balai.residents.choices import ImportStatus
from balai.residents.models import ResidentImport
from balai.residents.tasks import import_residents_task


def test_a_dead_worker_is_started_again_after_recovery():
    recovered = []
    supervisor = WorkerSupervisor(
        command=[sys.executable, "-c", "import time; time.sleep(60)"],
        recover=lambda: recovered.append(time.monotonic()),
        backoff=0,
    )
    first = supervisor.start()
    try:
        supervisor.check()  # alive: nothing happens
        assert supervisor.process is first and len(recovered) == 1
        os.kill(first.pid, signal.SIGKILL)  # what the kernel does to a worker out of memory
        first.wait()
        supervisor.check()
        assert supervisor.process is not first
        assert supervisor.process.poll() is None
        assert len(recovered) == 2
    finally:
        supervisor.stop()
        supervisor.wait()
    supervisor.check()  # stopping: not started again
    assert supervisor.process.poll() is not None


@pytest.mark.django_db
def test_recovery_fails_the_imports_and_tasks_a_dead_worker_held(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    job = ResidentImport.objects.create(
        village=cast.village_a,
        uploaded_by=cast.operator_a,
        file_name="warga.xlsx",
        status=ImportStatus.RUNNING,
    )
    job.file.save(f"{job.uuid}.bin", ContentFile(b"personal data"), save=True)
    stored = job.file.path
    waiting = ResidentImport.objects.create(
        village=cast.village_a, uploaded_by=cast.operator_a, file_name="antre.csv"
    )
    result = import_residents_task.enqueue(job.pk)
    DBTaskResult.objects.get(pk=result.id).claim("dead-worker")

    recover_interrupted_work()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "unggah ulang" in job.message
    assert not job.file and not os.path.exists(stored)
    assert AuditLog.objects.filter(
        action="residents.import_interrupted", object_id=str(job.pk)
    ).exists()
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.QUEUED  # still waiting: the new worker takes it
