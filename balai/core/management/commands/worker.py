from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from balai.core.media import sweep_orphans
from balai.core.worker import Heartbeat, new_worker_id, recover_interrupted_work


class Command(BaseCommand):
    help = (
        "Run one task worker (several may run at once). It registers itself, closes the "
        "work of dead workers, then runs tasks until SIGTERM (it finishes the task at hand)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at the queue when it is empty (default 1)",
        )

    def handle(self, *args, interval: float, **options):
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
