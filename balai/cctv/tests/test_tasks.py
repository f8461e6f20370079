import pytest

from balai.cctv import tasks
from balai.cctv.models import Camera
from balai.cctv.rounds import cameras_in_shard


def test_shards_cover_every_camera_once_and_keep_a_sites_cameras_together(cams):
    shards = 3
    seen = [list(cameras_in_shard(n, shards)) for n in range(shards)]
    flat = [c.pk for shard in seen for c in shard]
    assert sorted(flat) == sorted(Camera.objects.values_list("pk", flat=True))
    holding_site = [n for n, shard in enumerate(seen) if any(c.site_id for c in shard)]
    assert len(holding_site) == 1
    assert {c.name for c in seen[holding_site[0]] if c.site_id} == {"Gerbang", "Pasar"}


def test_the_shard_count_follows_the_shard_size(cams, settings):
    settings.BALAI_CCTV_SHARD_SIZE = 2
    assert tasks.shard_count() == 3
    settings.BALAI_CCTV_SHARD_SIZE = 500
    assert tasks.shard_count() == 1


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def test_rounds_and_the_digest_schedule_themselves_once_on_the_database_queue(
    db, database_queue, settings
):
    from django_tasks_db.models import DBTaskResult

    tasks.start()
    tasks.start()  # already waiting: nothing more
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == ["balai.cctv.tasks.daily_digest", "balai.cctv.tasks.start_round"]
    digest = DBTaskResult.objects.get(task_path="balai.cctv.tasks.daily_digest")
    from django.utils import timezone

    assert timezone.localtime(digest.run_after).hour == tasks.DIGEST_HOUR


def test_a_round_queues_one_task_per_shard_and_the_next_round(cams, database_queue, settings):
    from django_tasks_db.models import DBTaskResult

    settings.BALAI_CCTV_SHARD_SIZE = 2
    assert tasks.start_round.call() == 3
    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    shards = [a["args"] for p, a in queued if p.endswith("probe_shard")]
    assert sorted(shards) == [[0, 3], [1, 3], [2, 3]]
    assert [p for p, _a in queued if p.endswith("start_round")] == ["balai.cctv.tasks.start_round"]
