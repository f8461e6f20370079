"""The deployed service's lock file matches pyproject.toml; pre-1.0 libraries are bounded."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[3]


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def locked() -> dict[str, tuple[Version, int]]:
    """name -> (version, number of hashes) from requirements/deploy.txt."""
    text = (ROOT / "requirements" / "deploy.txt").read_text()
    pins: dict[str, tuple[Version, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z])", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==([^ \\\n]+)", block)
        if match:
            name = canonicalize_name(match[1])
            pins[name] = (Version(match[2]), block.count("--hash=sha256:"))
    return pins


def test_every_dependency_is_locked_within_its_bounds_with_hashes():
    pins = locked()
    for line in project()["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements/deploy.txt: regenerate it (make lock)"
        version, _hashes = pins[name]
        assert version in requirement.specifier, (
            f"{name} {version} is locked but pyproject.toml wants {requirement.specifier}: "
            "regenerate requirements/deploy.txt (make lock)"
        )
    assert all(hashes for _version, hashes in pins.values()), "every pin carries its hashes"


def test_pre_1_0_libraries_have_an_upper_bound_and_the_static_checkers_are_exact():
    pins = locked()
    for line in project()["dependencies"]:
        requirement = Requirement(line)
        version = pins[canonicalize_name(requirement.name)][0]
        if version.major == 0:
            assert any(spec.operator in ("<", "==") for spec in requirement.specifier), line
    tests = {
        canonicalize_name(r.name): r
        for r in map(Requirement, project()["optional-dependencies"]["test"])
    }
    # A new release of any of these finds new errors and fails `make test` overnight.
    for name in (
        "ruff",
        "mypy",
        "django-stubs",
        "django-stubs-ext",
        "types-defusedxml",
        "types-shapely",
    ):
        assert [spec.operator for spec in tests[name].specifier] == ["=="], name
