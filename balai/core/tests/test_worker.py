"""Task workers: `balai serve` keeps its worker alive; a worker closes the work of dead ones,
and only theirs."""

import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balai.accounts.models import AuditLog
from balai.core.models import TaskWorker
from balai.core.worker import WorkerSupervisor, recover_interrupted_work
from balai.residents.choices import ImportStatus
from balai.residents.models import ResidentImport
from balai.residents.tasks import import_residents_task


@pytest.fixture
def db_tasks(settings):
    """Tasks wait in the database queue for a worker to claim them (not run at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def new_import(cast):
    """A factory: an import by village A's operator, running unless told otherwise."""

    def make(file_name: str = "warga.csv", status: str = ImportStatus.RUNNING) -> ResidentImport:
        return ResidentImport.objects.create(
            village=cast.village_a, uploaded_by=cast.operator_a, file_name=file_name, status=status
        )

    return make


def held_by(job: ResidentImport, worker_id: str) -> str:
    """Queue the import's task and claim it for `worker_id`, as that worker would;
    returns the task result's id."""
    result = import_residents_task.enqueue(job.pk)
    DBTaskResult.objects.get(pk=result.id).claim(worker_id)
    return result.id


def test_a_dead_worker_is_started_again():
    supervisor = WorkerSupervisor(
        command=[sys.executable, "-c", "import time; time.sleep(60)"], backoff=0
    )
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


@pytest.mark.django_db
def test_recovery_fails_the_imports_and_tasks_a_dead_worker_held(db_tasks, new_import):
    job = new_import("warga.xlsx")
    job.file.save(f"{job.uuid}.bin", ContentFile(b"personal data"), save=True)
    stored = job.file.path
    waiting = new_import("antre.csv", status=ImportStatus.QUEUED)
    result_id = held_by(job, "dead-worker")

    recover_interrupted_work()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "unggah ulang" in job.message
    assert not job.file and not os.path.exists(stored)
    assert AuditLog.objects.filter(
        action="residents.import_interrupted", object_id=str(job.pk)
    ).exists()
    assert DBTaskResult.objects.get(pk=result_id).status == "FAILED"
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.QUEUED  # still waiting: the new worker takes it


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_recovery_touches_only_the_work_of_dead_workers(db_tasks, new_import):
    """Several workers run at once (`balai worker` under systemd): a worker starting,
    or one that has outlived another, fails only what the dead held."""
    here = socket.gethostname()
    TaskWorker.objects.create(worker_id="alive", hostname=here, pid=os.getpid())
    TaskWorker.objects.create(worker_id="killed", hostname=here, pid=dead_pid())
    # On another server: its pid means nothing here, only its heartbeat tells.
    silent = TaskWorker.objects.create(worker_id="silent", hostname="elsewhere", pid=1)
    TaskWorker.objects.filter(pk=silent.pk).update(seen_at=timezone.now() - timedelta(hours=1))
    TaskWorker.objects.create(worker_id="beating", hostname="elsewhere", pid=1)

    jobs, results = {}, {}
    for worker_id in ("alive", "killed", "silent", "beating", "unknown"):
        jobs[worker_id] = new_import(f"{worker_id}.csv")
        results[worker_id] = held_by(jobs[worker_id], worker_id)

    recover_interrupted_work()

    for worker_id, expected in (
        ("alive", "RUNNING"),
        ("beating", "RUNNING"),
        ("killed", "FAILED"),
        ("silent", "FAILED"),
        ("unknown", "FAILED"),  # claimed by a worker that never registered
    ):
        assert DBTaskResult.objects.get(pk=results[worker_id]).status == expected, worker_id
        jobs[worker_id].refresh_from_db()
        job_status = ImportStatus.RUNNING if expected == "RUNNING" else ImportStatus.FAILED
        assert jobs[worker_id].status == job_status, worker_id
    assert set(TaskWorker.objects.values_list("worker_id", flat=True)) == {"alive", "beating"}

    recover_interrupted_work()  # a second recoverer finds nothing more to do
    assert AuditLog.objects.filter(action="residents.import_interrupted").count() == 3


@pytest.mark.deployment
def test_a_restarted_worker_fails_the_killed_ones_tasks_not_its_neighbours(
    deployment, db_tasks, new_import
):
    """Real `balai worker` processes: kill -9 one while it holds an import; when it is
    started again, that import is failed and the other worker's is left running."""
    site = deployment(web=1, workers=2)
    killed, neighbour = (process.worker_id for process in site.workers)
    registered = set(TaskWorker.objects.values_list("worker_id", flat=True))
    assert registered == {killed, neighbour}, [p.log_text()[-2000:] for p in site.workers]

    jobs, results = {}, {}
    for worker_id in (killed, neighbour):
        # Claimed in the same transaction, so the running workers never see it ready.
        with transaction.atomic():
            jobs[worker_id] = new_import()
            results[worker_id] = held_by(jobs[worker_id], worker_id)

    site.workers[0].kill()
    site.workers[0].start()  # ready once it has recovered

    assert DBTaskResult.objects.get(pk=results[killed]).status == "FAILED"
    assert DBTaskResult.objects.get(pk=results[neighbour]).status == "RUNNING"
    jobs[killed].refresh_from_db()
    jobs[neighbour].refresh_from_db()
    assert (jobs[killed].status, jobs[neighbour].status) == (
        ImportStatus.FAILED,
        ImportStatus.RUNNING,
    )
    assert killed not in TaskWorker.objects.values_list("worker_id", flat=True)
    assert TaskWorker.objects.count() == 2


@pytest.mark.django_db
def test_recovery_removes_an_interrupted_imports_progress_file(db_tasks, new_import, settings):
    from balai.residents import progress

    job = new_import("warga.xlsx")
    progress.write(job, 1, 9)
    assert progress.read(job) == (1, 9)
    held_by(job, "dead-worker")

    recover_interrupted_work()

    assert progress.read(job) == (0, 0)
    assert not list((Path(settings.MEDIA_ROOT) / "residents" / "progress").iterdir())


@pytest.mark.django_db
def test_recovery_clears_an_interrupted_imports_progress_in_redis(
    db_tasks, new_import, settings, redis_url
):
    import redis

    from balai.residents import progress

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    job = new_import("warga.xlsx")
    progress.write(job, 1, 9)
    store = redis.Redis.from_url(redis_url)
    assert [k for k in store.keys("*") if str(job.uuid).encode() in k]
    held_by(job, "dead-worker")

    recover_interrupted_work()

    assert not [k for k in store.keys("*") if str(job.uuid).encode() in k]
    assert progress.read(job) == (0, 0)


@pytest.mark.django_db
def test_recovery_queues_the_chains_a_dead_worker_broke_again(db_tasks):
    """Each run of the webhook dispatcher and the probe rounds queues the next:
    a run that died with its worker would have ended the chain."""
    from balai.cctv.tasks import probe_shard, start_round
    from balai.webhooks.tasks import deliver_due

    for chosen, args in ((deliver_due, ()), (probe_shard, (0, 1))):
        DBTaskResult.objects.get(pk=chosen.enqueue(*args).id).claim("dead-worker")
    assert not DBTaskResult.objects.ready().exists()

    recover_interrupted_work()

    ready = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert {deliver_due.module_path, start_round.module_path} <= ready


@pytest.mark.django_db
def test_files_no_row_names_are_swept_once_old(new_import, settings):
    from pathlib import Path

    from balai.core.media import sweep_orphans

    root = Path(settings.MEDIA_ROOT)
    job = new_import(status=ImportStatus.QUEUED)
    job.file.save("named.bin", ContentFile(b"x"), save=True)
    folder = root / "residents" / "imports"
    orphan, young, partial = folder / "orphan.bin", folder / "young.bin", folder / ".ab.partial"
    for path in (orphan, young, partial):
        path.write_bytes(b"personal data")
    old = timezone.now().timestamp() - 2 * 3600
    for path in (orphan, partial, Path(job.file.path)):
        os.utime(path, (old, old))

    removed = sweep_orphans(timedelta(hours=1))

    assert sorted(removed) == sorted([orphan, partial])
    assert young.exists() and Path(job.file.path).exists()
