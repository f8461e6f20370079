"""The files under deploy/ (docs/deploy.md): the environment file lists every setting,
`balai check --deploy` is clean with it, and systemd accepts the units."""

import base64
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from balai.core.tests.deployment import database_url
from balai.core.tests.test_configuration_docs import documented
from balai.core.tests.tools import missing_tool

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "deploy" / "balai.env.example"
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_BALAI = "/opt/balai/venv/bin/balai"  # where docs/deploy.md installs it


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


def verify_units(units: Path, folder: Path) -> str:
    """What `systemd-analyze verify` says of the units in `units`, copied into `folder`."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        missing_tool("systemd-analyze (Debian's systemd) is not installed")
    # The units name the server's install path; this machine's balai stands in for it.
    here = str(Path(sys.executable).parent / "balai")
    for unit in units.iterdir():
        text = unit.read_text()
        assert INSTALLED_BALAI in text or unit.suffix == ".timer", unit.name
        (folder / unit.name).write_text(text.replace(INSTALLED_BALAI, here))
    # Templates are verified through an instance, as systemctl would start them.
    instances = {
        "balai-web@.service": "balai-web@8001.service",
        "balai-worker@.service": "balai-worker@1.service",
    }
    names = [str(folder / instances.get(unit.name, unit.name)) for unit in units.iterdir()]
    result = subprocess.run(
        [analyze, "verify", *names], capture_output=True, text=True, check=False, cwd=folder
    )
    return (result.stdout + result.stderr).strip() + ("" if result.returncode == 0 else " (failed)")


def test_systemd_accepts_the_units(tmp_path):
    assert verify_units(UNITS, tmp_path) == ""


def test_a_mistyped_unit_is_caught(tmp_path):
    mistyped = tmp_path / "units"
    shutil.copytree(UNITS, mistyped)
    web = mistyped / "balai-web@.service"
    web.write_text(web.read_text().replace("Restart=", "Restrat="))
    (tmp_path / "verified").mkdir()
    assert "Unknown key 'Restrat'" in verify_units(mistyped, tmp_path / "verified")
