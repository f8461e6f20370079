"""Chosen files survive a form error: kept per session, bounded, cleaned up."""

import io
import os
import time

import pytest
from django.core.files.storage import default_storage

from balai.lib import drafts

pytestmark = pytest.mark.django_db


def test_old_kept_files_are_pruned(settings, tmp_path):
    # Aged by the file's time on disk: on the file system whatever the run's media.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("drafts/old.jpg", io.BytesIO(b"x"))
    new = default_storage.save("drafts/new.jpg", io.BytesIO(b"y"))
    past = time.time() - drafts.MAX_AGE - 60
    os.utime(tmp_path / old, (past, past))
    assert drafts.prune() == 1
    assert not default_storage.exists(old) and default_storage.exists(new)
