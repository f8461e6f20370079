from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from balai.core.media import sweep_orphans
from balai.core.worker import Heartbeat, new_worker_id, recover_interrupted_work


class Command(BaseCommand):
    help = (
        "Run one task worker (several may run at once). It registers itself, closes the "
        "work of dead workers, then runs tasks until SIGTERM (it finishes the task at hand). "
        "With BALAI_TASKS_BACKEND=rq it is an RQ worker on the queue in Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at the queue when it is empty (default 1)",
        )

    def handle(self, *args, interval: float, **options):
        from django_tasks import task_backends
        from django_tasks_rq.backend import RQBackend

        if isinstance(task_backends["default"], RQBackend):
            return self.run_rq()
        worker_id = new_worker_id()
        heartbeat = Heartbeat(worker_id)
        heartbeat.register()
        try:
            recover_interrupted_work()
            sweep_orphans()
            heartbeat.start()
            worker = Worker(
                queue_names=["default"],
                interval=interval,
                batch=False,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            worker.configure_signals()
            # The harness (balai/core/tests/deployment.py) waits for this line.
            self.stdout.write(f"Task worker {worker_id} started", ending="\n")
            self.stdout.flush()
            worker.run()
        finally:
            heartbeat.unregister()

    def run_rq(self) -> None:
        """BALAI_TASKS_BACKEND=rq: an RQ worker on the queue in Redis. RQ registers
        it and moves the jobs of a worker whose heartbeat stopped to its failed
        registry; balai.lib.taskqueue.Worker hands those, and the job of a work
        horse that died, to their apps (an import failed, its upload deleted).
        Its scheduler (one worker holds the lock) queues deferred tasks when
        they are due (docs/scale-out.md)."""
        from django.core.management import call_command

        self.stdout.write(f"Task worker {new_worker_id()} started (RQ)", ending="\n")
        self.stdout.flush()
        call_command(
            "rqworker",
            "default",
            job_class="django_tasks_rq.Job",
            worker_class="balai.lib.taskqueue.Worker",
            with_scheduler=True,
        )
