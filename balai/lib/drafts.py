"""Files a form has already accepted, kept for the person while they fix the rest.

A form with an error used to lose every chosen photo: on a slow link that is a
minute of upload to repeat. When a form is shown again, the files of its fields
that passed their checks (already cleaned: re-encoded photos, rewritten PDFs)
are written under `drafts/` and named in the person's session only, by a random
token; the page lists them with a box to drop each. On the next POST the kept
files go back into the form's files for fields where nothing new was chosen, so
the form checks them again like any upload. Bounded: at most MAX_FILES files and
MAX_BYTES per session, kept MAX_AGE seconds; `prune` (run whenever a form is
kept) deletes older files.
"""

import secrets
import time
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

SESSION_KEY = "kept_uploads"
POST_FIELD = "kept_upload"
DIRECTORY = "drafts"
MAX_FILES = 10
MAX_BYTES = 25 * 1024 * 1024
MAX_AGE = 2 * 3600
_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def _fresh(session) -> dict:
    now = time.time()
    kept = session.get(SESSION_KEY, {})
    return {token: item for token, item in kept.items() if now - item["at"] < MAX_AGE}


def with_kept(request, form_key: str) -> MultiValueDict:
    """The request's files plus the kept ones still ticked, for fields that got no new file
    (a field taking several files gets the kept ones added to the new)."""
    files = request.FILES.copy()
    kept = _fresh(request.session)
    for token in request.POST.getlist(POST_FIELD):
        item = kept.get(token)
        if item is None or item["form"] != form_key:
            continue  # not this session's, too old, or another form's
        if item["field"] in request.FILES and not item["multiple"]:
            continue  # a new file replaces the kept one
        try:
            with default_storage.open(item["path"], "rb") as stored:
                data = stored.read()
        except OSError:
            continue
        suffix = item["path"][item["path"].rfind(".") :]
        upload = SimpleUploadedFile(item["name"], data, _TYPES.get(suffix, ""))
        files.appendlist(item["field"], upload)
    return files


def keep(request, form_key: str, form, multiple: tuple[str, ...] = ()) -> list[dict]:
    """Store the cleaned files of `form`'s fields without errors; the kept files to list."""
    prune()  # only on a form error: cheap enough to tidy up every time
    session = request.session
    kept = _fresh(session)
    _drop(kept, form_key)  # what was kept before is in this form's files again, or dropped
    listed = []
    for field, value in form.cleaned_data.items():
        contents = value if isinstance(value, list) else [value]
        for content in contents:
            if not isinstance(content, ContentFile) or field in form.errors:
                continue
            if len(kept) >= MAX_FILES or _total(kept) + content.size > MAX_BYTES:
                break
            token = secrets.token_urlsafe(16)
            suffix = (content.name or "")[(content.name or "").rfind(".") :] or ".bin"
            content.seek(0)
            path = default_storage.save(f"{DIRECTORY}/{token}{suffix}", content)
            label = form.fields[field].label if field in form.fields else field
            kept[token] = {
                "form": form_key,
                "field": field,
                "path": path,
                "name": f"{token}{suffix}",
                "size": content.size,
                "at": time.time(),
                "multiple": field in multiple,
                "label": str(label),
            }
            listed.append({"token": token, **kept[token]})
    session[SESSION_KEY] = kept
    return listed


def discard(request, form_key: str) -> None:
    """Forget and delete this form's kept files (it was sent)."""
    kept = request.session.get(SESSION_KEY)
    if kept:
        _drop(kept, form_key)
        request.session[SESSION_KEY] = kept


def _drop(kept: dict, form_key: str) -> None:
    for token in [t for t, item in kept.items() if item["form"] == form_key]:
        default_storage.delete(kept.pop(token)["path"])


def _total(kept: dict) -> int:
    return sum(item["size"] for item in kept.values())


def prune(now: datetime | None = None) -> int:
    """Delete kept files older than MAX_AGE (sessions forget them sooner or later)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=MAX_AGE)
    try:
        _dirs, names = default_storage.listdir(DIRECTORY)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{DIRECTORY}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
