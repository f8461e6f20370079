"""A patient reader of published tables: every hidden count it can work out.

Shared by the disclosure tests (residents statistics, open data). It knows
what any reader knows: the published figures, the sums they obey, that a
hidden cell is not zero (zeros are left out or shown), and nothing else. It
tries three ways, again and again with what it learned:

- a sum with one unknown term (subtraction);
- bounds: every hidden count is at least 1, so `a + b = 2` gives a = b = 1,
  and bounds carry from sum to sum;
- linear algebra: exact elimination (fractions) over all the sums at once, so
  that `a + b`, `b + c` and `a + c` known give a, b and c.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from fractions import Fraction

Cell = Hashable
Equation = tuple[list[Cell], "Cell | int"]  # parts add up to total (a cell or a number)


def recover(known: dict[Cell, int | None], equations: Iterable[Equation]) -> dict[Cell, int]:
    """{hidden cell: its count} for every hidden cell the reader works out.

    `known` maps each published cell to its count, None where hidden; a cell
    absent from it is 0 (a category left out of a list)."""
    equations = list(equations)
    values: dict[Cell, int] = {c: n for c, n in known.items() if n is not None}
    hidden = {c for c, n in known.items() if n is None}
    found: dict[Cell, int] = {}
    while True:
        new = _by_bounds(values, hidden, equations)
        new.update(_by_elimination(values, hidden, equations))
        if not new:
            return found
        found.update(new)
        values.update(new)
        hidden -= new.keys()


def _value(values: dict, hidden: set, cell) -> int | None:
    if isinstance(cell, int):
        return cell
    if cell in hidden:
        return None
    return values.get(cell, 0)


def _by_bounds(values: dict, hidden: set, equations: list[Equation]) -> dict[Cell, int]:
    inf = float("inf")
    lo: dict[Cell, float] = dict.fromkeys(hidden, 1)
    hi: dict[Cell, float] = dict.fromkeys(hidden, inf)

    def bounds(cell) -> tuple[float, float]:
        v = _value(values, hidden, cell)
        return (v, v) if v is not None else (lo[cell], hi[cell])

    for _round in range(50):
        changed = False
        for parts, total in equations:
            t_lo, t_hi = bounds(total)
            part_bounds = [bounds(c) for c in parts]
            sum_lo = sum(b[0] for b in part_bounds)
            sum_hi = sum(b[1] for b in part_bounds)
            hidden_total = not isinstance(total, int) and total in hidden
            if hidden_total and (sum_lo > lo[total] or sum_hi < hi[total]):
                lo[total], hi[total] = max(lo[total], sum_lo), min(hi[total], sum_hi)
                changed = True
            for cell, (c_lo, c_hi) in zip(parts, part_bounds, strict=True):
                if cell not in hidden:
                    continue
                new_lo = max(c_lo, t_lo - (sum_hi - c_hi))
                new_hi = min(c_hi, t_hi - (sum_lo - c_lo))
                if (new_lo, new_hi) != (c_lo, c_hi):
                    lo[cell], hi[cell] = new_lo, new_hi
                    changed = True
        if not changed:
            break
    return {c: int(lo[c]) for c in hidden if lo[c] == hi[c]}


def _row_of(values: dict, hidden: set, parts: list, total) -> tuple[dict, Fraction]:
    """sum(parts) - total = 0 as {hidden cell: coefficient} = constant."""
    row: dict[Cell, Fraction] = {}
    constant = Fraction(0)
    for cell, sign in [*((c, 1) for c in parts), (total, -1)]:
        v = _value(values, hidden, cell)
        if v is None:
            row[cell] = row.get(cell, Fraction(0)) + sign
        else:
            constant -= sign * v
    return {c: a for c, a in row.items() if a}, constant


def _minus(row: dict, constant: Fraction, other: dict, other_constant: Fraction, factor):
    """(row, constant) - factor * (other, other_constant)."""
    merged = dict(row)
    for c, a in other.items():
        merged[c] = merged.get(c, Fraction(0)) - factor * a
    return {c: a for c, a in merged.items() if a}, constant - factor * other_constant


def _by_elimination(values: dict, hidden: set, equations: list[Equation]) -> dict[Cell, int]:
    """Gauss-Jordan over the hidden cells; a reduced row with one cell gives it."""
    pivots: dict[Cell, tuple[dict[Cell, Fraction], Fraction]] = {}
    for parts, total in equations:
        row, constant = _row_of(values, hidden, parts, total)
        for cell in [c for c in row if c in pivots]:
            if row.get(cell):
                row, constant = _minus(row, constant, *pivots[cell], row[cell])
        if not row:
            continue
        pivot = next(iter(row))
        scale = row[pivot]
        row, constant = {c: a / scale for c, a in row.items()}, constant / scale
        for other, (o_row, o_const) in list(pivots.items()):
            if o_row.get(pivot):
                pivots[other] = _minus(o_row, o_const, row, constant, o_row[pivot])
        pivots[pivot] = (row, constant)
    return {
        cell: int(constant)
        for cell, (row, constant) in pivots.items()
        if len(row) == 1 and constant.denominator == 1
    }
