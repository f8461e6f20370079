"""A probe round on two RQ workers behind the production layout (docs/scale-out.md):
its shards are shared between the workers, each shard probed once."""

import datetime as dt

import django_rq
import pytest

from balai.cctv import tasks
from balai.cctv.models import Camera, Round
from balai.core.tests.deployment import wait_for
from balai.lib.tasks import schedule_once

pytestmark = pytest.mark.deployment


def finished_workers(task) -> list[str | None]:
    """The worker that ran each finished job of `task`."""
    queue = django_rq.get_queue("default")
    jobs = [queue.fetch_job(i) for i in queue.finished_job_registry.get_job_ids()]
    return [
        job.worker_name for job in jobs if job is not None and job.func_name == task.module_path
    ]


def test_a_probe_rounds_shards_are_shared_by_both_workers(cast, camera_servers, scaled_out):
    # Cameras that accept and never answer: each shard holds its worker for the
    # snapshot timeout, so a round of four cannot be done by one worker alone
    # while the other is idle.
    for n in range(4):
        Camera.objects.create(
            name=f"Kamera {n}",
            village=cast.village_a,
            purpose="keamanan",
            operator_contact="Operator desa",
            snapshot_url=camera_servers.silent(),
        )
    scaled_out(BALAI_CCTV_SHARD_SIZE="1", BALAI_CCTV_ROUND_SECONDS="3600")
    tasks.start()  # as `balai probe-cameras` does, from another process
    wait_for(lambda: Round.objects.count() >= 4, "the round's four shards", timeout=180)
    shards = sorted(Round.objects.values_list("shard", "shards", "cameras"))
    assert shards == [(0, 4, 1), (1, 4, 1), (2, 4, 1), (3, 4, 1)]  # each shard once
    ran_by = finished_workers(tasks.probe_shard)
    assert len(ran_by) == 4 and len(set(ran_by)) == 2, ran_by
    # The next round waits already: asking again queues nothing.
    assert not schedule_once(tasks.start_round, dt.timedelta(0))
