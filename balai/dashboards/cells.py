"""What a dashboard is made of: figures (this period beside the previous one) and
tables whose cells know their value, how to show it, where they link, and the
key under which the public version may hide them (balai.dashboards.public)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Key = tuple


@dataclass
class Cell:
    value: Any
    kind: str = "count"  # count, percent, hours, days, text
    link: str = ""
    key: Key | None = None  # a count the public version may have to hide
    # For a percent or time: the counts it is made of; hidden with them.
    depends: tuple[Key, ...] = ()
    share: Cell | None = None  # a count's share of its whole, shown beside it

    @property
    def hidden(self) -> bool:
        return self.value is None and self.kind != "text"


@dataclass
class Figure:
    label: str
    current: Cell
    previous: Cell


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: dict | None = None  # SVG geometry from balai.dashboards.charts
    codes: list[str] = field(default_factory=list)  # a league's region per row

    def values(self) -> list[list]:
        return [[c.value for c in row] for row in self.rows]


def count(value, key: Key | None = None, link: str = "") -> Cell:
    return Cell(value, "count", link, key)


def text(value, link: str = "") -> Cell:
    return Cell(value, "text", link)
