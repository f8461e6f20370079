"""docs/configuration.md lists every environment variable Balai reads."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READERS = {"env_str", "env_bool", "env_int", "env_list", "env_secret", "getenv"}


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        # os.environ.get(...) / os.environ.setdefault(...) / os.getenv(...)
        if isinstance(func.value, ast.Attribute) and func.value.attr == "environ":
            return "environ." + func.attr
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def variables_read(source: str) -> set[str]:
    """Names read from the environment: env_* helpers, os.environ and os.getenv,
    and name prefixes (a constant like "BALAI_P12_PASSPHRASE_" completed at run time)."""
    found = set()
    tree = ast.parse(source)
    # Parts of f-strings build settings names (f"BALAI_LOGIN_{name}_RATE"), not prefixes.
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                   for part in node.values}  # fmt: skip
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call) and node.args:
            called = _called_name(node)
            if called in READERS or called in ("environ.get", "environ.setdefault"):
                name = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            if node.value.attr == "environ":
                name = node.slice
        elif id(node) in in_fstrings:
            continue
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.fullmatch(r"BALAI_[A-Z0-9_]+_", node.value)
        ):
            found.add(f"{node.value}*")
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            found.add(name.value)
    return {n for n in found if n.startswith("BALAI_") or n == "DATABASE_URL"}


def documented() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text()
    names = set(re.findall(r"`((?:BALAI_|DATABASE_URL)[A-Z0-9_]*)(?:<[A-Z]+>)?`", text))
    names |= {m + "*" for m in re.findall(r"`(BALAI_[A-Z0-9_]+_)<[A-Z]+>`", text)}
    return names


def test_the_reader_finds_every_way_of_reading():
    source = (
        'env_int("BALAI_A", 1)\nos.environ.get("BALAI_B")\nos.environ["BALAI_C"]\n'
        'os.getenv("BALAI_D")\nos.environ.setdefault("DATABASE_URL", "x")\n'
        'os.environ.get("HOME")\nprefix = "BALAI_E_"\n'
    )
    assert variables_read(source) == {
        "BALAI_A", "BALAI_B", "BALAI_C", "BALAI_D", "DATABASE_URL", "BALAI_E_*"
    }  # fmt: skip


def test_every_variable_read_is_documented() -> None:
    files = [*ROOT.glob("balai/**/*.py"), *ROOT.glob("benchmarks/*.py"), ROOT / "conftest.py"]
    read: dict[str, str] = {}
    for path in files:
        for name in variables_read(path.read_text()):
            read.setdefault(name, str(path.relative_to(ROOT)))
    assert {"BALAI_DATA_DIR", "BALAI_REDIS_URL", "BALAI_P12_PASSPHRASE_*"} <= read.keys()
    missing = {name: where for name, where in read.items() if name not in documented()}
    assert missing == {}, f"read but not in docs/configuration.md: {missing}"
