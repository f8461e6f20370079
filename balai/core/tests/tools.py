"""Tests that need a system tool: skip without it on a developer's machine, fail in CI."""

import os
from typing import NoReturn

import pytest


def missing_tool(reason: str) -> NoReturn:
    """Stop the test for want of a tool: CI=true (set by CI services and .ci/run) fails it."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI must install it (.ci/run)", pytrace=False)
    pytest.skip(reason)
