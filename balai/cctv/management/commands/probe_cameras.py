import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from balai.cctv import rounds
from balai.cctv.models import Camera
from balai.regions.models import Village


class Progress:
    """A one-line progress bar on a terminal, nothing elsewhere (logs stay clean)."""

    def __init__(self, stream, total: int):
        self.stream, self.total, self.done = stream, total, 0
        self.started = time.monotonic()
        self.live = stream.isatty()

    def __call__(self, result) -> None:
        self.done += 1
        if not self.live:
            return
        width, total = 30, max(self.total, self.done, 1)
        filled = width * self.done // total
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{total} ({rate:,.0f}/s)"
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Probe the cameras: one round with --once, else a round every "
        "BALAI_CCTV_ROUND_SECONDS until stopped. Prints a summary per round."
    )

    def add_arguments(self, parser):
        parser.add_argument("--village", help="only this village's cameras, e.g. 35.08.01.2001")
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, village=None, once=False, **options):
        if village and not Village.objects.filter(pk=village).exists():
            raise CommandError(f"no village with code {village!r}")
        while True:
            started = time.monotonic()
            self.one_round(village)
            if once:
                return
            pause = settings.BALAI_CCTV_ROUND_SECONDS - (time.monotonic() - started)
            time.sleep(max(pause, 0))

    def one_round(self, village: str | None) -> None:
        cameras = Camera.objects.all()
        if village:
            cameras = cameras.filter(village_id=village)
        progress = Progress(sys.stderr, cameras.count())
        summary = rounds.probe_round(village=village, on_result=progress)
        if progress.live:
            sys.stderr.write("\n")
        counts = ", ".join(f"{state} {n}" for state, n in summary.counts.items() if n)
        self.stdout.write(
            f"{summary.cameras} cameras in {summary.seconds:.1f} s: {counts or 'none'}; "
            f"{summary.events} state changes, {summary.alerts} alerts sent"
        )
