"""The services' probe round keeps itself going, as the cameras' does: each run
queues the next one EVERY later (on the database backend `balai serve` runs)."""

import datetime as dt

from django_tasks import task

from balai.hub import health
from balai.lib.tasks import on_interrupted, schedule_once

EVERY = dt.timedelta(seconds=60)


@task()
def probe_round() -> dict:
    summary = health.probe_services()
    schedule_once(probe_round, EVERY)
    return {"services": summary.services, "counts": summary.counts, "changes": summary.changes}


def start() -> None:
    """Start the chain unless it is running (a health URL saved, the demo, the command)."""
    schedule_once(probe_round, dt.timedelta(0))


@on_interrupted(probe_round)
def _resume() -> None:
    start()
