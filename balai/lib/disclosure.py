"""Small-count suppression that subtraction cannot undo (complementary suppression).

Published figures are linked by sums: a region's total is the sum of its
categories, a regency's count is the sum of its districts', and so on. Hiding
a count of 3 is useless when every other term of one of those sums is shown:
the reader subtracts. `suppress` hides the small cells, then, for every sum
left with exactly one hidden term, hides one more (the smallest shown non-zero
term), until no sum has a single unknown. Zeros are never hidden (pages leave
them out, so they are known anyway).

Generic on purpose: residents statistics use it today, the open-data hub and
dashboards publish the same kind of tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Cell = Hashable


@dataclass(frozen=True)
class Sum:
    """`parts` add up to `total`: a cell, or None for a figure always published."""

    parts: tuple[Cell, ...]
    total: Cell | None = None

    def cells(self) -> tuple[Cell, ...]:
        return self.parts if self.total is None else (*self.parts, self.total)


def suppress(values: dict[Cell, int], sums: Iterable[Sum], small: int) -> set[Cell]:
    """The cells to hide: every count from 1 to small-1, and enough others that no
    published sum has exactly one hidden term."""
    sums = list(sums)
    touching: dict[Cell, list[int]] = defaultdict(list)
    for i, s in enumerate(sums):
        for cell in s.cells():
            touching[cell].append(i)
    hidden = {cell for cell, n in values.items() if 0 < n < small}
    todo = {i for cell in hidden for i in touching[cell]}
    while todo:
        s = sums[todo.pop()]
        unknown = [c for c in s.cells() if c in hidden]
        if len(unknown) != 1:
            continue
        candidates = [c for c in s.parts if c not in hidden and values.get(c, 0) > 0]
        if not candidates and s.total is not None and values.get(s.total, 0) > 0:
            candidates = [s.total] if s.total not in hidden else []
        if not candidates:
            continue  # the published total itself is that small: nothing left to hide
        extra = min(candidates, key=lambda c: (values[c], repr(c)))
        hidden.add(extra)
        todo.update(touching[extra])
    return hidden
