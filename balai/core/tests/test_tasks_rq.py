"""BALAI_TASKS_BACKEND=rq: the tasks Balai queues run on real RQ workers
(separate processes) against a real Redis, as they do on the database backend."""

import datetime as dt
import os
import signal
import threading
import time
from pathlib import Path

import django_rq
import pytest
from django.db import transaction
from rq.registry import ScheduledJobRegistry, StartedJobRegistry

from balai.accounts.models import AuditLog
from balai.complaints.tasks import complaint_submitted, escalate_complaints
from balai.core.tests.deployment import wait_for
from balai.core.tests.faults import pause_env, paused
from balai.lib.tasks import schedule_once
from balai.residents import progress
from balai.residents.choices import ImportStatus
from balai.residents.models import Resident, ResidentImport
from balai.residents.tests.conftest import person, upload, write_csv

# The workers are other processes: they see only what is committed (and so
# does Redis: tasks queued in a transaction reach it when it commits).
pytestmark = pytest.mark.django_db(transaction=True)


def queue():
    return django_rq.get_queue("default")


def waiting(task) -> list[str]:
    """Ids of the jobs of `task` waiting for their time."""
    registry = ScheduledJobRegistry(queue=queue())
    jobs = [queue().fetch_job(job_id) for job_id in registry.get_job_ids()]
    return [job.id for job in jobs if job is not None and job.func_name == task.module_path]


def test_settings_choose_rq_by_the_environment_alone(tmp_path, redis_url):
    import os
    import subprocess
    import sys

    env = {**os.environ, "BALAI_DATA_DIR": str(tmp_path), "BALAI_TASKS_BACKEND": "rq",
           "BALAI_TASKS_REDIS_URL": redis_url, "BALAI_REDIS_URL": ""}  # fmt: skip
    code = (
        "from django_tasks import task_backends; from django.conf import settings;"
        "b = task_backends['default'];"
        "print(type(b).__module__, type(b).__name__, settings.RQ_QUEUES['default']['URL'])"
    )
    result = subprocess.run([sys.executable, "-m", "balai", "shell", "-c", code], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"balai.lib.taskqueue RQBackend {redis_url}" in result.stdout
    env["BALAI_TASKS_REDIS_URL"] = ""
    result = subprocess.run([sys.executable, "-m", "balai", "check"], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode != 0
    assert "BALAI_TASKS_BACKEND=rq needs BALAI_TASKS_REDIS_URL" in result.stderr


def test_a_task_queued_in_a_transaction_reaches_redis_only_when_it_commits(rq_settings):
    with transaction.atomic():
        complaint_submitted.enqueue(0)
        assert queue().count == 0
    assert queue().count == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint_submitted.enqueue(0)
        raise RuntimeError("rolled back")
    assert queue().count == 1


def test_schedule_once_queues_one_however_many_ask_at_once(rq_settings):
    answers = []
    start = threading.Barrier(8)

    def ask():
        start.wait()
        answers.append(schedule_once(escalate_complaints, dt.timedelta(hours=1)))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [False] * 7 + [True]
    assert len(waiting(escalate_complaints)) == 1


def test_a_key_naming_a_job_that_is_gone_does_not_stop_the_chain(rq_settings):
    assert schedule_once(escalate_complaints, dt.timedelta(hours=1))
    [job_id] = waiting(escalate_complaints)
    queue().fetch_job(job_id).delete()  # lost, as after a Redis restart without persistence
    assert schedule_once(escalate_complaints, dt.timedelta(hours=1))
    assert len(waiting(escalate_complaints)) == 1


def test_a_worker_runs_an_uploaded_residents_import(cast, client, login_as, tmp_path, rq_workers):
    login_as(cast.operator_a)
    response = upload(client, write_csv(tmp_path / "warga.csv", [person()]))
    assert response.status_code == 302
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.QUEUED  # nothing ran in this process
    rq_workers(1)
    wait_for(
        lambda: ResidentImport.objects.get().status == ImportStatus.DONE, "the import", timeout=180
    )
    assert Resident.objects.get().village == cast.village_a


def test_the_escalation_chain_keeps_exactly_one_run_waiting(cast, rq_workers):
    assert schedule_once(escalate_complaints, dt.timedelta(0))
    first = waiting(escalate_complaints)
    # A second chain, as two processes starting it by hand would make.
    escalate_complaints.enqueue()
    escalate_complaints.enqueue()
    rq_workers(1)
    registry = queue().finished_job_registry
    wait_for(lambda: len(registry.get_job_ids()) >= 3, "three runs", timeout=180)
    # Each run asked for the next; one is waiting, five minutes on.
    later = waiting(escalate_complaints)
    assert len(later) == 1 and later != first
    assert not schedule_once(escalate_complaints, dt.timedelta(0))


IMPORT_PAUSE = "residents.import.before-commit"


def an_import_stopped_before_its_commit(cast, client, login_as, tmp_path, rq_workers):
    """A worker, an uploaded import whose rows are written but not committed, and the
    pid of the process running it (RQ's work horse, forked by the worker)."""
    pauses = tmp_path / "pauses"
    login_as(cast.operator_a)
    [worker] = rq_workers(1, **pause_env(pauses, IMPORT_PAUSE))
    people = [person(nama=f"Warga {i}", nik=f"35080114038500{i:02d}") for i in range(1, 6)]
    assert upload(client, write_csv(tmp_path / "warga.csv", people)).status_code == 302
    job = ResidentImport.objects.get()
    return worker, job, Path(job.file.path), paused(pauses, IMPORT_PAUSE)


def assert_failed_and_cleaned(job, stored: Path):
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "unggah ulang" in job.message
    assert not job.file and not stored.exists()
    assert progress.read(job) == (0, 0)
    assert not Resident.objects.exists()
    assert AuditLog.objects.filter(action="residents.import_interrupted").count() == 1


def test_an_import_whose_work_horse_is_killed_is_failed_and_its_upload_deleted(
    cast, client, login_as, tmp_path, rq_workers
):
    worker, job, stored, horse = an_import_stopped_before_its_commit(
        cast, client, login_as, tmp_path, rq_workers
    )
    assert progress.read(job) == (5, 5)
    os.kill(horse, signal.SIGKILL)  # what the kernel's OOM killer does to the big process
    wait_for(
        lambda: ResidentImport.objects.get().status != ImportStatus.RUNNING,
        "the worker to fail the import",
        timeout=120,
    )
    assert_failed_and_cleaned(job, stored)
    assert worker.poll() is None  # the worker itself goes on


def test_an_import_whose_worker_died_is_failed_by_rqs_cleanup(
    cast, client, login_as, tmp_path, rq_workers
):
    worker, job, stored, horse = an_import_stopped_before_its_commit(
        cast, client, login_as, tmp_path, rq_workers
    )
    worker.kill()  # the whole worker, as a lost machine
    worker.wait()
    os.kill(horse, signal.SIGKILL)
    assert ResidentImport.objects.get().status == ImportStatus.RUNNING
    # RQ's maintenance, which every worker runs when it starts and every ten
    # minutes, fails the jobs whose heartbeat has lapsed (about 150 s after a
    # worker dies): run here, as from a worker, with the clock moved past it.
    StartedJobRegistry(queue=queue()).cleanup(timestamp=time.time() + 3600)
    assert_failed_and_cleaned(job, stored)
