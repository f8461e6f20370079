"""Small tables read on every submission, kept in each process for a short while.

Categories, onboarded villages and the routing overrides change rarely (the
regency admin edits them); reading them from memory keeps a submission to a
handful of queries. A save in this process clears the copy at once; other
processes see the change within TTL_SECONDS.
"""

import time

TTL_SECONDS = 30

_store: dict[str, tuple[float, object]] = {}


def _cached(name: str, load):
    now = time.monotonic()
    hit = _store.get(name)
    if hit is None or now - hit[0] > TTL_SECONDS:
        hit = (now, load())
        _store[name] = hit
    return hit[1]


def clear() -> None:
    _store.clear()


def category(code: str):
    from balai.complaints.models import Category

    def load():
        return {c.code: c for c in Category.objects.active().select_related("agency")}

    return _cached("categories", load).get(code)


def village(code: str):
    """An onboarded village of this regency, or None."""
    from balai.regions.models import Village

    def load():
        return {v.code: v for v in Village.objects.active().select_related("district")}

    return _cached("villages", load).get(code)


def overrides(category_id: int) -> list:
    from balai.complaints.models import RoutingOverride

    def load() -> dict[int, list]:
        table: dict[int, list] = {}
        for override in RoutingOverride.objects.all():
            table.setdefault(override.category_id, []).append(override)
        return table

    return _cached("overrides", load).get(category_id, [])


def agency(pk: int):
    from balai.agencies.models import Agency

    return _cached("agencies", lambda: {a.pk: a for a in Agency.objects.all()}).get(pk)
