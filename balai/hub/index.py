"""Keeping the search index in step with the catalogue (called by signals.py)."""

from __future__ import annotations

import contextlib
import threading

from balai.hub import search
from balai.hub.models import IndexWord, SearchDocument, Service


def add_words(found: set[str]) -> None:
    """Words as written and their stems: a query word whose stem is here is no typo."""
    found = found | {search.stem(w) for w in found}
    if found:
        IndexWord.objects.bulk_create(
            [IndexWord(word=w) for w in sorted(found)], ignore_conflicts=True
        )


_batch = threading.local()


@contextlib.contextmanager
def batch():
    """Index each service once, at the end, however often it is saved meanwhile
    (a sync or a demo saves every entry and then its themes)."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = set()
    try:
        yield
        pending = _batch.pending
    finally:
        _batch.pending = None
    index_services(Service.objects.filter(pk__in=pending))


def index_service(service: Service) -> None:
    """(Re)index one service: its weighted document and its words."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending.add(service.pk)
        return
    SearchDocument.objects.update_or_create(service=service, defaults=search.document_text(service))
    agency = service.agency
    add_words(
        search.surface_words(
            service.name,
            service.tags,
            service.description,
            service.audience,
            service.requirements,
            agency.name if agency else "",
            agency.short_name if agency else "",
            *(t.name for t in service.themes.all()),
        )
    )


def index_services(services) -> int:
    n = 0
    for service in services.select_related("agency").prefetch_related("themes"):
        index_service(service)
        n += 1
    return n


def rebuild() -> int:
    """The whole index again, the vocabulary pruned to what is in use."""
    from balai.hub.models import Synonym

    IndexWord.objects.all().delete()
    add_words(search.surface_words(*Synonym.objects.values_list("phrase", flat=True)))
    search.forget_synonyms()
    return index_services(Service.objects.all())
