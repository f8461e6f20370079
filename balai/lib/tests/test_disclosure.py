"""Complementary suppression (balai/lib/disclosure.suppress) against a reader
who subtracts, bounds and eliminates (balai/lib/tests/reader.py)."""

import itertools
import random

import pytest

from balai.lib.disclosure import Sum, suppress
from balai.lib.tests.reader import recover

SMALL = 5


def _read(values, sums, hidden):
    """What a reader of the published table works out of the hidden cells."""
    known = {c: (None if c in hidden else n) for c, n in values.items() if n}
    equations = [
        (list(s.parts), s.total if s.total is not None else _total(values, s)) for s in sums
    ]
    return recover(known, equations)


def _total(values, s):
    return sum(values.get(c, 0) for c in s.parts)


def _grid(rows: list[list[int]]):
    """A table with row totals, column totals and a published grand total."""
    values: dict = {}
    for r, row in enumerate(rows):
        for c, n in enumerate(row):
            values[(r, c)] = n
        values[(r, "total")] = sum(row)
    for c in range(len(rows[0])):
        values[("total", c)] = sum(row[c] for row in rows)
    sums = [Sum(tuple((r, c) for c in range(len(rows[0]))), (r, "total")) for r in range(len(rows))]
    sums += [
        Sum(tuple((r, c) for r in range(len(rows))), ("total", c)) for c in range(len(rows[0]))
    ]
    sums.append(Sum(tuple((r, "total") for r in range(len(rows)))))
    sums.append(Sum(tuple(("total", c) for c in range(len(rows[0])))))
    return values, sums


def test_two_ones_in_one_sum_are_not_left_alone():
    # a + b = 2 with both hidden, and a hidden count is never 0: both are 1.
    values = {"a": 1, "b": 1, "c": 40, "d": 60}
    sums = [Sum(("a", "b", "c", "d"))]
    hidden = suppress(values, sums, SMALL)
    assert {"a", "b"} <= hidden
    assert _read(values, sums, hidden) == {}


def test_a_hidden_cell_solved_by_elimination_gets_a_complement():
    # Every sum has two unknowns, yet the three sums solve a, b and c together.
    values = {"a": 2, "b": 3, "c": 4, "x": 50, "y": 60, "z": 70}
    sums = [Sum(("a", "b", "x")), Sum(("b", "c", "y")), Sum(("a", "c", "z"))]
    assert _read(values, sums, {"a", "b", "c"}) == {"a": 2, "b": 3, "c": 4}
    hidden = suppress(values, sums, SMALL)
    assert _read(values, sums, hidden) == {}


@pytest.mark.parametrize("seed", range(20))
def test_random_tables_give_nothing_back(seed):
    rnd = random.Random(seed)
    rows = [[rnd.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for _ in range(5)] for _ in range(4)]
    values, sums = _grid(rows)
    hidden = suppress(values, sums, SMALL)
    assert all(not 0 < n < SMALL or cell in hidden for cell, n in values.items())
    assert not any(values[c] == 0 for c in hidden)
    assert _read(values, sums, hidden) == {}


def test_zeros_stay_shown_and_nothing_small_is_left():
    values, sums = _grid([[0, 3, 20], [7, 0, 12], [30, 2, 0]])
    hidden = suppress(values, sums, SMALL)
    assert {c for c, n in values.items() if 0 < n < SMALL} <= hidden
    assert all(values[c] for c in hidden)
    assert list(itertools.chain(hidden)) != []
