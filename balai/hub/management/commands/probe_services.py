from django.core.management.base import BaseCommand

from balai.hub import health, tasks


class Command(BaseCommand):
    help = (
        "Probe every catalogue service that has a health URL (the cameras' probe engine) "
        "and record changes; without --once, also start the worker's 60-second rounds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, no schedule")

    def handle(self, *args, once=False, **options):
        summary = health.probe_services()
        counts = ", ".join(f"{k}: {v}" for k, v in summary.counts.items())
        self.stdout.write(
            f"{summary.services} services probed ({counts}); {summary.changes} changes"
        )
        if not once:
            tasks.start()
