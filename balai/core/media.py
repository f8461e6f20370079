"""Media files no row names: what a process killed between writing a file and
committing its row leaves behind (docs/faults.md).

Files are written before the row that names them commits (a letter's PDF,
a request's attachments, an uploaded import): a letter never exists without
its PDF, but a process killed in between leaves a file no row names. They
hold personal data, so they are removed once older than ORPHAN_AGE (a younger
one may belong to a transaction still open), with the `.partial` files of
interrupted writes (balai/lib/storage.py).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings

from balai.lib.storage import sweep_partials

ORPHAN_AGE = dt.timedelta(hours=1)
# Where files are written before their row commits: folder -> (model, field).
WRITTEN_BEFORE_COMMIT = {
    "letters/issued": ("letters.Letter", "pdf"),
    "letters/requirements": ("letters.RequestDocument", "file"),
    "residents/imports": ("residents.ResidentImport", "file"),
}
BATCH = 500


def _old_files(folder: Path, cutoff: float):
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                yield path
        except FileNotFoundError:
            continue


def _remove_unnamed(root: Path, paths: list[Path], model, field: str) -> list[Path]:
    names = [str(p.relative_to(root)) for p in paths]
    named = set(
        model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True)
    )
    removed = []
    for path, name in zip(paths, names, strict=True):
        if name not in named:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def sweep_orphans(older_than: dt.timedelta = ORPHAN_AGE) -> list[Path]:
    """Remove files older than `older_than` that no row names; returns them."""
    root = Path(settings.MEDIA_ROOT)
    removed = sweep_partials(root, older_than)
    cutoff = time.time() - older_than.total_seconds()
    for folder, (label, field) in WRITTEN_BEFORE_COMMIT.items():
        model = apps.get_model(label)
        batch: list[Path] = []
        for path in _old_files(root / folder, cutoff):
            batch.append(path)
            if len(batch) == BATCH:
                removed += _remove_unnamed(root, batch, model, field)
                batch = []
        if batch:
            removed += _remove_unnamed(root, batch, model, field)
    return removed
