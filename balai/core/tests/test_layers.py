"""Layers point one way (docs/architecture.md): an import against them fails here.

Every module under balai/ (tests and migrations aside) is parsed with `ast`;
every import counts, at the top or inside a function, and so does a model
looked up by name (`apps.get_model("regions", ...)`). A module may import its
own app and the apps of lower layers, never a higher or a sibling one (only
the wiring, the top, imports its own kind). Inside an app, the API
(`api`, `open311`) and the pages (`views`) are two doors to the same rooms:
neither imports the other; both call the app's forms, actions and queries.

A new app adds one line to LAYERS: its name and its layer.
"""

import ast
from pathlib import Path

import balai

LIB, REGIONS, ACCOUNTS, REGISTRY, SERVICES, INTEGRATION, PAGES, WIRING = range(8)
LAYER_NAMES = [
    "lib",
    "regions",
    "accounts",
    "registry",
    "services",
    "integration",
    "pages",
    "wiring",
]

LAYERS = {
    "lib": LIB,  # plain modules; knows no app
    "regions": REGIONS,
    "accounts": ACCOUNTS,  # staff, scope, access, audit, tokens
    "agencies": REGISTRY,
    "residents": REGISTRY,
    "notifications": REGISTRY,  # delivery, used by the services
    "letters": SERVICES,
    "complaints": SERVICES,
    "cctv": SERVICES,
    "webhooks": SERVICES,  # delivers the events the services publish
    "hub": INTEGRATION,  # the catalogue of every service, with their status
    "portal": PAGES,
    "dashboards": PAGES,
    "opendata": PAGES,
    "core": WIRING,  # project URLs, staff home, health, the demo, `serve`
    "api": WIRING,  # balai/api.py: the API root
    "urls": WIRING,
    "host_urls": WIRING,
    "settings": WIRING,
    "cli": WIRING,
    "wsgi": WIRING,
    "asgi": WIRING,
    "__main__": WIRING,
    "__init__": WIRING,
}

# Imports against the layers that another change is removing: (file, module) -> why.
# A line here that no longer happens fails the test, so it is removed once fixed.
PENDING: dict[tuple[str, str], str] = {}

DOORS = {"api": "api", "open311": "api", "views": "views"}

ROOT = Path(balai.__file__).parent


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, parts


def app_of(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def module_name(parts: tuple[str, ...]) -> str:
    names = ["balai", *parts]
    names[-1] = names[-1].removesuffix(".py")
    return ".".join(names[:-1] if names[-1] == "__init__" else names)


def imported(tree: ast.AST, package: str):
    """(line, module) for each import in the tree, and each model looked up by name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            if base == "balai":
                for alias in node.names:
                    yield node.lineno, f"balai.{alias.name}"
            else:
                yield node.lineno, base
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get_model":
            args = node.args
            if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                yield node.lineno, f"balai.{args[0].value.split('.')[0]}"


def violations():
    found = {}
    for path, parts in modules():
        name = module_name(parts)
        package = name if parts[-1] == "__init__.py" else name.rpartition(".")[0]
        app = app_of(parts)
        here = LAYERS.get(app)
        rel = f"balai/{'/'.join(parts)}"
        if here is None:
            found[(rel, "")] = f"{rel}: app {app!r} has no layer: add it to LAYERS"
            continue
        for line, target in imported(ast.parse(path.read_text(), str(path)), package):
            if not target.startswith("balai."):
                continue
            other = target.split(".")[1]
            if other == app:
                door, other_door = DOORS.get(parts[1].removesuffix(".py")), None
                if len(target.split(".")) > 2:
                    other_door = DOORS.get(target.split(".")[2])
                if door and other_door and door != other_door:
                    found[(rel, target)] = (
                        f"{rel}:{line}: the {door} imports the {other_door} ({target}); "
                        "move what both need into the app's forms, actions or queries"
                    )
                continue
            there = LAYERS.get(other)
            if there is None or there < here or (there == here == WIRING):
                continue
            found[(rel, target)] = (
                f"{rel}:{line}: {app} ({LAYER_NAMES[here]}) imports {target} "
                f"({LAYER_NAMES[there]}); layers point down only (docs/architecture.md)"
            )
    return found


def test_imports_point_down_the_layers():
    found = violations()
    problems = [message for key, message in sorted(found.items()) if key not in PENDING]
    assert problems == [], "\n".join(problems)


def test_every_pending_exception_still_happens():
    stale = set(PENDING) - set(violations())
    assert stale == set(), f"fixed, remove from PENDING: {sorted(stale)}"


def test_the_check_sees_imports_inside_functions_and_models_by_name(tmp_path):
    source = (
        "def f():\n"
        "    from balai.portal import views\n"
        "    from django.apps import apps\n"
        "    return apps.get_model('complaints', 'Complaint')\n"
    )
    found = [module for _line, module in imported(ast.parse(source), "balai.accounts")]
    assert "balai.portal" in found
    assert "balai.complaints" in found
