import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from balai.core.web import gunicorn_command
from balai.core.worker import WorkerSupervisor


class Command(BaseCommand):
    help = (
        "Serve Balai on one machine (the demo): gunicorn with uvicorn workers (ASGI) for the "
        "web and a task worker, stopping both together; the worker is restarted when it "
        "dies. Production runs `balai web` and `balai worker` under systemd (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--demo-cameras",
            action="store_true",
            help="also run the simulated demo cameras on loopback (balai simulate-cameras)",
        )

    def handle(self, *args, bind, workers, demo_cameras=False, **options):
        prepare_metrics_dir()
        web = subprocess.Popen(gunicorn_command(bind, workers))
        worker = WorkerSupervisor()
        worker.start()
        # The demo's cameras answer on loopback so that a newcomer sees a living board.
        cameras = (
            subprocess.Popen([sys.executable, "-m", "balai", "simulate_cameras"])
            if demo_cameras
            else None
        )

        def stop(*_):
            worker.stop()
            for process in (web, cameras):
                if process is not None and process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"Balai on http://{bind}/ (web pid {web.pid}, worker pid {worker.process.pid})"
        )
        while web.poll() is None:
            worker.check()  # restarted when it dies
            time.sleep(1)
        stop()
        worker.wait()
        if cameras is not None:
            cameras.wait()


def prepare_metrics_dir() -> None:
    """Web and task processes write their metrics as files in one directory
    (prometheus_client's multiprocess mode), emptied at each start."""
    folder = Path(
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(settings.DATA_DIR / "metrics"))
    )
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
