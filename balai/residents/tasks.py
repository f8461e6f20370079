"""Long imports run as a task; the page polls the progress the task reports.

The progress is written outside the import's transaction, which would hide a
row (on SQLite: block it) until the end: to Redis when the cache is there
(every web process and worker on every machine reads it), else to a file in
the media folder (one machine).
"""

import json

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django_tasks import task

from balai.lib.tasks import on_interrupted
from balai.residents import stats
from balai.residents.actions import fail_interrupted_imports, progress_path, run_import_job
from balai.residents.models import ResidentImport

PROGRESS_SECONDS = 6 * 3600  # longer than any import runs


def _progress_key(job: ResidentImport) -> str:
    return f"residents:import-progress:{job.uuid}"


def write_progress(job: ResidentImport, done: int, total: int) -> None:
    if _in_redis():
        cache.set(_progress_key(job), (done, total), PROGRESS_SECONDS)
        return
    path = progress_path(job)
    tmp = path.with_suffix(".tmp")
    # A courtesy to the page: a full disk must not fail the import itself.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"done": done, "total": total}))
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


def read_progress(job: ResidentImport) -> tuple[int, int]:
    """(rows done, rows total) of a running import."""
    if _in_redis():
        done, total = cache.get(_progress_key(job), (0, 0))
        return done, total
    try:
        data = json.loads(progress_path(job).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return 0, 0


def clear_progress(job: ResidentImport) -> None:
    if _in_redis():
        cache.delete(_progress_key(job))
    else:
        progress_path(job).unlink(missing_ok=True)


def _in_redis() -> bool:
    return isinstance(caches["default"], RedisCache)


@task()
def import_residents_task(job_id: int) -> None:
    job = ResidentImport.objects.select_related("village", "uploaded_by").get(pk=job_id)
    try:
        run_import_job(job, progress=lambda done, total: write_progress(job, done, total))
    finally:
        clear_progress(job)


# A worker killed in an import: the job failed, its files removed.
@on_interrupted(import_residents_task)
def _interrupted(job_id: int) -> None:
    fail_interrupted_imports([job_id])


@task()
def publish_population() -> None:
    """The population figures of the registry's current state, suppressed and stored."""
    stats.publish()
