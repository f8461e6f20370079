from django.core.management import call_command
from django.core.management.base import BaseCommand

from balai.core.worker import default_worker_id, recover_interrupted_work


class Command(BaseCommand):
    help = (
        "Run a task worker under a stable id: first fail (or resume) the tasks a previous "
        "run with this id left unfinished and sweep files no row names, then work the "
        "queue. Give each worker process its own id (one per systemd unit)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--id",
            default=default_worker_id(),
            help="this worker's id, unique among the workers and the same across restarts "
            "(default: the host name)",
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, id, interval, **options):
        recovered = recover_interrupted_work(id)
        if recovered:
            self.stderr.write(f"worker {id}: {recovered} interrupted task(s) recovered")
        call_command(
            "db_worker", worker_id=id, interval=interval, startup_delay=False, reload=False
        )
