"""One pager for every list page: `paginate(queryset, params, size)`.

A page is fetched as `size + 1` rows, so whether another page follows is
known without counting the list: COUNT(*) over a million public complaints or
residents costs more than the page itself. Lists that show their total pass
`count=True`; totals of at least BIG_COUNT rows are then remembered for a
minute (the same total on the next page turn may be a minute old). The page
number is the `hal` query parameter; `includes/pager.html` draws the links,
keeping the list's other parameters.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.http import QueryDict

PARAM = "hal"
MAX_PAGE = 500  # deeper than this, filters find things faster than paging
BIG_COUNT = 20_000


class Page(list):
    """The rows of one page, with what the links need."""

    def __init__(self, rows: list, *, number: int, has_next: bool, query: str, total, size: int):
        super().__init__(rows)
        self.number = number
        self.has_next = has_next
        self.has_previous = number > 1
        self.has_other_pages = has_next or number > 1
        self.next_page_number = number + 1
        self.previous_page_number = number - 1
        self.query = query  # the list's other parameters, urlencoded
        self.total: int | None = total  # None unless counted
        self.num_pages = _pages(total, size) if total is not None else None


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def _number(raw) -> int:
    try:
        return min(max(1, int(raw or 1)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _total(queryset) -> int:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none() or an empty `__in`: nothing to count
        return 0
    key = "pager:count:" + hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = queryset.count()
        if found >= BIG_COUNT:
            cache.set(key, found, 60)
    return found


def paginate(queryset, params: QueryDict, size: int, *, count=False) -> Page:
    """The page of `queryset` that `params` (a request's GET) asks for.

    With `count`, the total is known and a page past the end shows the last.
    `count` may be the queryset to count: the same rows before `values()`
    joined the tables of the shown columns, whose joins a COUNT keeps (it then
    reads every matching row instead of one index range)."""
    number = _number(params.get(PARAM))
    counted = queryset if count is True else count
    total = _total(counted) if count is not False else None
    if total is not None:
        number = min(number, _pages(total, size))
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    others = params.copy()
    others.pop(PARAM, None)
    return Page(
        rows[:size],
        number=number,
        has_next=len(rows) > size and number < MAX_PAGE,
        query=others.urlencode(),
        total=total,
        size=size,
    )
