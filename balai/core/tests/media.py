"""Reading the media storage in tests, whichever it is (a folder or an S3 bucket)."""

from django.core.files.storage import default_storage


def stored_names(folder: str) -> list[str]:
    """Every stored file's name under `folder`, however deep."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # a folder on disk that was never made
        return []
    names = [f"{folder}/{name}" for name in files]
    for sub in folders:
        names += stored_names(f"{folder}/{sub}")
    return sorted(names)
