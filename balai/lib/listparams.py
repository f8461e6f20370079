"""Bounded query parameters for every API list (django-ninja query schemas),
and the one way a list is paged: by cursor.

Each list endpoint takes one of these (or a subclass adding its filters), so
no list parameter reaches the database unbounded: an offset past 2**63 once
overflowed the database's integer and was a server error. balai.api turns a
parameter outside its bounds into a 400 problem document.

Lists page by keyset, not offset: `cursor_page` reads the rows after the last
one a client saw, so a deep page costs what the first one does, and rows
arriving meanwhile neither repeat nor vanish. The cursor is that row's key
sealed (balai.lib.sealing): it reveals no id and cannot be forged.
"""

import json
from typing import Annotated

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError

from balai.lib import sealing

MAX_LIMIT = 200
MAX_TEXT = 200  # a filter's text (a code, a name, a status)

Text = Annotated[str, Field(max_length=MAX_TEXT)]


MAX_CURSOR = 400  # a sealed key is about 140 characters
CURSOR_PURPOSE = b"balai.api.cursor:"


class CursorParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Baris per halaman")
    cursor: str = Field(
        "",
        max_length=MAX_CURSOR,
        description="`next_cursor` dari halaman sebelumnya; kosong untuk halaman pertama",
    )


class CursorPage(Schema):
    """A page of a list: each list's page schema adds its `items`."""

    next_cursor: str | None = Field(
        None, description="Kirim sebagai `cursor` untuk halaman berikutnya; null di akhir"
    )


def _position(cursor: str, size: int) -> list | None:
    if not cursor:
        return None
    try:
        values = json.loads(sealing.unseal(cursor, CURSOR_PURPOSE))["after"]
    except (ValueError, KeyError, TypeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        message = _("cursor tidak dikenal; pakai next_cursor dari halaman sebelumnya")
        error = {"loc": ("query", "cursor"), "type": "cursor_invalid", "msg": message}
        raise ValidationError([error])
    return values


def _keys(queryset: QuerySet) -> list[tuple[str, bool]]:
    """The queryset's own order as (field, descending), made total with the primary key."""
    keys = []
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(item, OrderBy) and isinstance(item.expression, F):
            keys.append((item.expression.name, item.descending))
        elif isinstance(item, str):
            keys.append((item.lstrip("-"), item.startswith("-")))
        else:
            raise TypeError(f"cannot page by cursor over {item!r}: order by plain fields")
    if not any(name in ("pk", queryset.model._meta.pk.name) for name, _ in keys):
        keys.append(("pk", keys[-1][1] if keys else True))
    return keys


def _after(keys: list[tuple[str, bool]], values: list) -> Q:
    """Rows after `values` in the order of `keys` (nulls last), spelled for the ORM."""
    later, same = Q(pk__in=[]), Q()
    for (name, descending), value in zip(keys, values, strict=True):
        if value is None:
            step, equal = Q(pk__in=[]), Q(**{f"{name}__isnull": True})
        else:
            compare = "lt" if descending else "gt"
            step = Q(**{f"{name}__{compare}": value}) | Q(**{f"{name}__isnull": True})
            equal = Q(**{name: value})
        later |= same & step
        same &= equal
    return later


def _nulls_last(name: str, descending: bool) -> OrderBy:
    return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)


def cursor_page(queryset: QuerySet, params: CursorParams):
    """(rows of this page, the next page's cursor or None), in the queryset's own
    order (plain fields; nulls last), so a page and the API list alike."""
    keys = _keys(queryset)
    queryset = queryset.order_by(*(_nulls_last(name, descending) for name, descending in keys))
    after = _position(params.cursor, len(keys))
    if after is not None:
        queryset = queryset.filter(_after(keys, after))
    rows = list(queryset[: params.limit + 1])
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = [getattr(rows[-1], name) for name, _ in keys]
    return rows, sealing.seal(json.dumps({"after": last}, cls=DjangoJSONEncoder), CURSOR_PURPOSE)
