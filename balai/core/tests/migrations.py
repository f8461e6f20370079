"""Data migrations tested on the test database: `migrated_to(("app", "0002_x"))`
moves the schema back there and returns the models as they were, to make rows
as they were; `migrate_forward()` applies the rest. Tests using them need
`transactional_db` (migrations run outside the test's transaction).
`run_python("app", "0003_x", "function")` runs a migration's function on
today's models instead, where the fields it reads have not changed since."""

import importlib

from django.apps import apps
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrated_to(*targets: tuple[str, str]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


def migrate_forward() -> Apps:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    return executor.loader.project_state(leaves).apps


def run_python(app: str, migration: str, function: str) -> None:
    module = importlib.import_module(f"balai.{app}.migrations.{migration}")
    getattr(module, function)(apps, None)
