"""Long imports run as a task; the page polls the progress file."""

import json

from django_tasks import task

from balai.lib.tasks import on_interrupted
from balai.residents.actions import fail_interrupted_imports, progress_path, run_import_job
from balai.residents.models import ResidentImport


def read_progress(job: ResidentImport) -> tuple[int, int]:
    """(rows done, rows total) of a running import; written outside its transaction."""
    try:
        data = json.loads(progress_path(job).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return 0, 0


@task()
def import_residents_task(job_id: int) -> None:
    job = ResidentImport.objects.select_related("village", "uploaded_by").get(pk=job_id)
    path = progress_path(job)

    def progress(done: int, total: int) -> None:
        # A file, not the database: the import's transaction would hide (SQLite:
        # block) a progress row until the end.
        # A courtesy to the page: a full disk must not fail the import itself.
        tmp = path.with_suffix(".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"done": done, "total": total}))
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)

    try:
        run_import_job(job, progress=progress)
    finally:
        path.unlink(missing_ok=True)


# A worker killed in an import: the job failed, its files removed.
@on_interrupted(import_residents_task)
def _interrupted(job_id: int) -> None:
    fail_interrupted_imports([job_id])
