"""A web process loads its views when the application is loaded, not on its
first request (gunicorn hands a worker requests only after that)."""

import os
import subprocess
import sys

import pytest

PROBE = (
    "import sys, balai.{module}; "
    "print(all(m in sys.modules for m in ('balai.urls', 'balai.api', 'balai.dashboards.views')))"
)


@pytest.mark.parametrize("module", ["asgi", "wsgi"])
def test_loading_the_application_imports_every_view(module, tmp_path):
    env = {**os.environ, "BALAI_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    found = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert found.stdout.strip() == "True", found.stderr[-2000:]
