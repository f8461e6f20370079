"""The files under deploy/ (docs/deploy.md): the environment file lists every setting,
and `balai check --deploy` is clean with it."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from balai.core.tests.deployment import database_url
from balai.core.tests.test_configuration_docs import documented

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "deploy" / "balai.env.example"


def example_values() -> dict[str, str]:
    """The variables the example sets (not those commented out), as systemd reads them."""
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_the_example_lists_every_documented_variable():
    text = (ROOT / "docs" / "configuration.md").read_text()
    tests_only = set(re.findall(r"`(BALAI_[A-Z0-9_]+)`", text.partition("## Tests only")[2]))
    listed = set(re.findall(r"^#?(BALAI_[A-Z0-9_]+|DATABASE_URL)=", EXAMPLE.read_text(), re.M))
    prefixes = {name.rstrip("*") for name in documented() if name.endswith("*")}
    # One line per family (BALAI_P12_PASSPHRASE_<USERNAME>), not per documented example.
    wanted = {n for n in documented() - tests_only if not any(map(n.startswith, prefixes))}
    missing = {n for n in wanted | prefixes if not any(map(lambda x: x.startswith(n), listed))}
    assert missing == set(), f"not in {EXAMPLE.name}: {sorted(missing)}"


def test_the_example_reads_the_same_in_systemd_and_in_a_shell():
    # balai-manage sources it with sh; systemd's EnvironmentFile reads it too.
    for name, value in example_values().items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name), name
        assert not re.search(r"[\s\"'$`\\]", value), f"{name}={value}: quote-free, space-free"


@pytest.mark.django_db
def test_check_deploy_is_clean_with_the_example(tmp_path):
    values = example_values()
    values.update(
        {
            "BALAI_SECRET_KEY": secrets.token_urlsafe(50),
            "BALAI_CCTV_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "BALAI_SMTP_PASSWORD": secrets.token_urlsafe(16),
            # This machine's stand-ins for the server's own database, Redis and folder.
            "DATABASE_URL": database_url(),
            "BALAI_REDIS_URL": "redis://127.0.0.1:6379/1",
            "BALAI_DATA_DIR": str(tmp_path),
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),  # made by tmpfiles.d there
        }
    )
    assert "CHANGE-ME" not in values.values(), "a placeholder this test does not fill"
    (tmp_path / "metrics").mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BALAI_")},
        **values,
    }
    check = subprocess.run(
        [sys.executable, "-m", "balai", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
