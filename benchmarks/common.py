"""Shared set-up for benchmarks: a fresh data dir and database, the machine's description."""

import os
import platform
import statistics
import tempfile
from datetime import UTC, datetime


def setup_django(database_url: str | None = None) -> str:
    """Point Balai at a fresh temporary data dir (and database), migrate, return the dir."""
    data_dir = tempfile.mkdtemp(prefix="balai-bench-")
    os.environ["BALAI_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return data_dir


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(
                line.split(":", 1)[1].strip() for line in f if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def stamp() -> str:
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)
