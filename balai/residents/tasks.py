"""Long imports run as a task; the page polls the progress the task reports
(balai.residents.progress)."""

from django_tasks import task

from balai.lib.tasks import on_interrupted
from balai.residents import progress, stats
from balai.residents.actions import fail_interrupted_imports, run_import_job
from balai.residents.models import ResidentImport


@task()
def import_residents_task(job_id: int) -> None:
    job = ResidentImport.objects.select_related("village", "uploaded_by").get(pk=job_id)
    try:
        run_import_job(job, progress=lambda done, total: progress.write(job, done, total))
    finally:
        progress.clear(job)


# A worker killed in an import: the job failed, its files removed.
@on_interrupted(import_residents_task)
def _interrupted(job_id: int) -> None:
    fail_interrupted_imports([job_id])


@task()
def publish_population() -> None:
    """The population figures of the registry's current state, suppressed and stored."""
    stats.publish()
