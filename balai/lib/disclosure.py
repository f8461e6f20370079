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

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

Cell = Hashable
C = TypeVar("C", bound=Hashable)  # the caller's own kind of cell


@dataclass(frozen=True)
class Sum:
    """`parts` add up to `total`: a cell, or None for a figure always published."""

    parts: tuple[Cell, ...]
    total: Cell | None = None

    def cells(self) -> tuple[Cell, ...]:
        return self.parts if self.total is None else (*self.parts, self.total)


def suppress(values: Mapping[C, int], sums: Iterable[Sum], small: int) -> set[C]:
    """The cells to hide: every count from 1 to small-1, and enough others that no
    reader of the published sums works a hidden count out.

    Two readers are closed off, round after round until neither gets anything:
    one who bounds (a sum with a single hidden term gives it by subtraction; a
    hidden count is at least 1, and a hidden total at least what its terms are
    known to be, so hidden terms adding up to little are pinned: two that add
    up to 2 are both 1), and one who eliminates over all the sums at once
    (`_determined`). Each exposed sum gets one more hidden cell: its smallest
    shown non-zero term, or its total when every term is hidden already.

    Cells that share no sum, even through others, cannot tell anything about
    each other: each group of linked cells is suppressed apart (the same cells
    hidden as all at once, and much faster: the elimination grows faster than
    the cells).
    """
    hidden: set[C] = {cell for cell, n in values.items() if 0 < n < small}
    for group in _linked(list(sums)):
        cells: set = {cell for s in group for cell in s.cells()}
        hidden |= _suppress({c: values[c] for c in cells if c in values}, group, small)
    return hidden


def _linked(sums: list[Sum]) -> list[list[Sum]]:
    """The sums in groups that share no cell (union-find over the cells)."""
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        parent.setdefault(cell, cell)
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for s in sums:
        first, *rest = s.cells() or (None,)
        for cell in rest:
            parent[root(cell)] = root(first)
    groups: dict[Cell, list[Sum]] = defaultdict(list)
    for s in sums:
        if s.cells():
            groups[root(s.cells()[0])].append(s)
    return list(groups.values())


def _suppress(values: Mapping[C, int], sums: list[Sum], small: int) -> set[C]:
    touching: dict[Cell, list[int]] = defaultdict(list)
    for i, s in enumerate(sums):
        for cell in s.cells():
            touching[cell].append(i)
    hidden = {cell for cell, n in values.items() if 0 < n < small}
    # A total hidden as a complement drags every table that adds up to it along:
    # complements are taken among the innermost cells first.
    totals = {s.total for s in sums if s.total is not None}
    # Whether a sum is exposed depends only on which of its cells are hidden and
    # their lower bounds: after the first round only the sums touching a cell
    # hidden or re-bounded since are read again (the same answer, far fewer reads).
    floor: dict | None = None
    read: set = set()  # the hidden cells when the sums were last read
    while True:
        before, floor = floor, _lower_bounds(sums, values, hidden)
        if before is None:
            dirty: Iterable[int] = range(len(sums))
        else:
            changed = (hidden - read) | {c for c, n in floor.items() if before.get(c) != n}
            dirty = sorted({i for cell in changed for i in touching[cell]})
        read = set(hidden)
        added: set[C] = set()
        for i in dirty:
            s = sums[i]
            if _exposed(s, values, hidden, floor, small):
                _hide_one_more([s], values, hidden, added, totals)
        if not added:
            for cell in sorted(_determined(sums, hidden), key=repr):
                candidates_from = [sums[i] for i in touching[cell]]
                _hide_one_more(candidates_from, values, hidden, added, totals)
        if not added:
            return hidden
        hidden |= added


def _lower_bounds(sums: list[Sum], values: Mapping, hidden: set) -> dict:
    """The least each hidden cell can be to a reader: 1, or for a hidden total the
    shown terms plus the least of the hidden ones (up the tree of sums). A total
    is read again only when one of its hidden terms rose."""
    floor = dict.fromkeys(hidden, 1)
    totals = [s for s in sums if s.total is not None and s.total in hidden]
    above: dict[Cell, list[int]] = defaultdict(list)  # hidden cell -> totals it adds to
    for i, s in enumerate(totals):
        for c in s.parts:
            if c in hidden:
                above[c].append(i)
    queue = deque(range(len(totals)))
    waiting = set(queue)
    while queue:
        i = queue.popleft()
        waiting.discard(i)
        s = totals[i]
        least = sum(floor[c] if c in hidden else values.get(c, 0) for c in s.parts)
        if least > floor[s.total]:
            floor[s.total] = least
            for j in above[s.total]:
                if j not in waiting:
                    queue.append(j)
                    waiting.add(j)
    return floor


def _exposed(s: Sum, values: Mapping, hidden: set, floor: dict, small: int) -> bool:
    """Whether a reader of this sum and the lower bounds pins a hidden term, or can
    tell that a hidden term is below `small`."""
    unknown = [c for c in s.parts if c in hidden]
    if s.total is not None and s.total in hidden:
        return not unknown  # the total, from its shown parts
    if len(unknown) == 1:
        return True
    # What the hidden terms add up to beyond their lower bounds: each can be at
    # most its own bound plus that slack.
    slack = sum(values.get(c, 0) - floor[c] for c in unknown)
    return bool(unknown) and slack < small - 1


def _hide_one_more(
    candidates_from: list[Sum], values: Mapping, hidden: set, added: set, totals: set
) -> None:
    """Add to `added` the smallest shown non-zero term of these sums (their total
    when every term is hidden), an innermost one (no total of anything) first;
    nothing when everything is hidden already or the figure is always published.
    `hidden` and `added` are read apart: their union, built per call, cost seconds."""

    def shown(c) -> bool:
        return c not in hidden and c not in added and values.get(c, 0) > 0

    candidates = {c for s in candidates_from for c in s.parts if shown(c)}
    if not candidates:
        candidates = {s.total for s in candidates_from if s.total is not None and shown(s.total)}
    if candidates:
        added.add(min(candidates, key=lambda c: (c in totals, values[c], repr(c))))


_PRIME = (1 << 61) - 1  # exact for these small integer sums but for a chance of about 2**-50


def _determined(sums: list[Sum], hidden: set[C]) -> set[C]:
    """Hidden cells whose value follows from the sums alone (Gauss-Jordan modulo a
    large prime over the hidden cells: a reduced row with a single cell)."""
    ordered = sorted(hidden, key=repr)
    index: dict[Hashable, int] = {c: n for n, c in enumerate(ordered)}
    pivots: dict[int, dict[int, int]] = {}
    holders: dict[int, set[int]] = defaultdict(set)  # column -> pivots whose row has it
    for s in sums:
        row: dict[int, int] = {}
        for cell in s.parts:
            if cell in index:
                row[index[cell]] = 1
        if s.total is not None and s.total in index:
            row[index[s.total]] = _PRIME - 1
        if row:
            _add_row(row, pivots, holders)
    return {ordered[p] for p, row in pivots.items() if len(row) == 1}


def _add_row(row: dict[int, int], pivots: dict, holders: dict) -> None:
    for column in [c for c in row if c in pivots]:
        _subtract(row, pivots[column], row.get(column, 0))
    if not row:
        return
    pivot = min(row)
    inverse = pow(row[pivot], _PRIME - 2, _PRIME)
    row = {c: a * inverse % _PRIME for c, a in row.items()}
    for other in list(holders.get(pivot, ())):
        other_row = pivots[other]
        old = set(other_row)
        _subtract(other_row, row, other_row.get(pivot, 0))
        for c in old - set(other_row):
            holders[c].discard(other)
        for c in set(other_row) - old:
            holders[c].add(other)
    pivots[pivot] = row
    for c in row:
        holders[c].add(pivot)


def _subtract(row: dict[int, int], pivot_row: dict[int, int], factor: int) -> None:
    """row -= factor * pivot_row, in place, modulo the prime."""
    if not factor:
        return
    for c, a in pivot_row.items():
        value = (row.get(c, 0) - factor * a) % _PRIME
        if value:
            row[c] = value
        else:
            row.pop(c, None)
