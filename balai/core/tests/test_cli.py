"""The `balai` command stops with one clear line on bad configuration."""

import os
import subprocess
import sys


def run_balai(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "balai", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_a_wrong_database_url_is_one_line_and_exit_code_2(tmp_path):
    result = run_balai("migrate", DATABASE_URL="mysql2://nowhere/x", BALAI_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "DATABASE_URL" in result.stderr


def test_an_unreachable_database_is_one_line(tmp_path):
    result = run_balai(
        "migrate", DATABASE_URL="postgres://nobody@127.0.0.1:9/none", BALAI_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert result.stderr.startswith("balai: database error:")
    assert result.stderr.strip().count("\n") == 0, result.stderr


def test_an_unknown_regency_code_is_one_line(tmp_path):
    result = run_balai("check", BALAI_REGENCY="35.99", BALAI_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "BALAI_REGENCY '35.99' is not a regency code" in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr


def test_dashed_command_names_map_to_management_commands(tmp_path):
    result = run_balai("load-regions", "--help", BALAI_DATA_DIR=str(tmp_path))
    assert result.returncode == 0
    assert "Kemendagri" in result.stdout
