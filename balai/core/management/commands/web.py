import os
import sys

from django.core.management.base import BaseCommand

from balai.core.web import gunicorn_command


class Command(BaseCommand):
    help = (
        "Serve the web: gunicorn with uvicorn workers (ASGI, docs/server.md), without the "
        "task worker (run `balai worker` beside it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind, workers, **options):
        sys.stdout.flush()
        # gunicorn takes this process's place: systemd and signals reach it directly.
        command = gunicorn_command(bind, workers)
        os.execv(command[0], command)  # noqa: S606 - our own argument list, no shell
