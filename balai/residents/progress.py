"""Where a running import's progress is kept for the page: written by the import,
read by the page, cleared when the import ends or is failed after its worker died.

It is written outside the import's transaction, which would hide a row (on
SQLite: block it) until the end: to Redis when the cache is there (every web
process and worker on every machine reads it), else to a file in the media
folder (one machine).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

PROGRESS_SECONDS = 6 * 3600  # longer than any import runs


def _key(job) -> str:
    return f"residents:import-progress:{job.uuid}"


def _path(job) -> Path:
    return Path(settings.MEDIA_ROOT) / "residents" / "progress" / f"{job.uuid}.json"


def _in_redis() -> bool:
    return isinstance(caches["default"], RedisCache)


def write(job, done: int, total: int) -> None:
    if _in_redis():
        cache.set(_key(job), (done, total), PROGRESS_SECONDS)
        return
    path = _path(job)
    tmp = path.with_suffix(".tmp")
    # A courtesy to the page: a full disk must not fail the import itself.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"done": done, "total": total}))
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


def read(job) -> tuple[int, int]:
    """(rows done, rows total) of a running import; (0, 0) before its first report."""
    if _in_redis():
        done, total = cache.get(_key(job), (0, 0))
        return done, total
    try:
        data = json.loads(_path(job).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return 0, 0


def clear(job) -> None:
    if _in_redis():
        cache.delete(_key(job))
    else:
        _path(job).unlink(missing_ok=True)
