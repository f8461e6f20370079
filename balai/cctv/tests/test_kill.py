"""The task worker killed (SIGKILL) in the middle of a probe round, the cameras
probed but nothing recorded: the shard's task is failed when the worker starts
again, the rounds go on and the next one records the cameras (docs/faults.md)."""

import pytest
from django_tasks_db.models import DBTaskResult

from balai.cctv import tasks
from balai.cctv.models import Camera, Round
from balai.core.tests.faults import pause_env, paused, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.deployment]

STEP = "cctv.round.probed"


def test_a_worker_killed_mid_round_is_followed_by_whole_rounds(
    deployment, cast, camera_servers, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    pauses = tmp_path / "pauses"
    site = deployment(
        web=1, workers=1, env={"BALAI_CCTV_ROUND_SECONDS": "2", **pause_env(pauses, STEP)}
    )
    worker = site.workers[0]
    camera = Camera.objects.create(
        name="Gerbang",
        village=cast.village_a,
        purpose="keamanan",
        operator_contact="Operator desa, 0812-0000-0000",
        snapshot_url=camera_servers.snapshot("moving", "gerbang"),
    )
    tasks.start()

    paused(pauses, STEP)
    worker.kill()
    assert not Round.objects.exists()
    camera.refresh_from_db()
    assert camera.last_checked_at is None  # probed, but nothing was recorded

    worker.env = {**site.env, "BALAI_PAUSE_AT": ""}
    worker.start()
    wait_until(Round.objects.exists, "a whole round after the restart")
    camera.refresh_from_db()
    assert camera.last_checked_at is not None
    shards = DBTaskResult.objects.filter(task_path="balai.cctv.tasks.probe_shard")
    assert shards.filter(status="FAILED").count() == 1  # the interrupted one, by recovery
