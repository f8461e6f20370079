"""No published population figure gives a hidden small count back (issue 10.6).

The test plays the reader: it fetches every statistics response of a region
tree through the API, writes down every sum those figures obey (categories
to the total, men plus women, districts to the regency, villages to their
district) and works out what it can like a patient reader with a spreadsheet:
subtraction, bounds (a hidden count is at least 1) and elimination over all
the sums at once (balai/lib/tests/reader.py). No hidden count may come out.
"""

import random

import pytest

from balai.lib.tests.reader import recover
from balai.regions.models import District, Village
from balai.residents.models import PopulationCount
from balai.residents.stats import AGE_GROUPS, DIMENSIONS, SMALL

TABLES = ("sex", "religion", "education")


def _village_counts(rnd: random.Random, village) -> list[PopulationCount]:
    """Living residents of one village, small enough that small counts are common."""
    people = rnd.randint(6, 60)
    rows = []
    sexes = [1 if rnd.random() < 0.5 else 2 for _ in range(people)]
    tallies: dict[tuple[str, str], int] = {}

    def add(dimension, key):
        tallies[(dimension, key)] = tallies.get((dimension, key), 0) + 1

    for sex in sexes:
        add("sex", str(sex))
        add("religion", str(rnd.choices([1, 2, 3, 4, 5], weights=[80, 8, 5, 4, 3])[0]))
        add("education", str(rnd.randint(1, 10)) if rnd.random() < 0.9 else "None")
        add("birth_year", f"{2026 - rnd.randint(0, 90)}-{sex}")
    for (dimension, key), n in tallies.items():
        rows.append(PopulationCount(village=village, dimension=dimension, key=key, count=n))
    return rows


@pytest.fixture
def region_tree(cast):
    """Two districts of four villages each, with random counts."""
    villages = []
    for district in District.objects.filter(code__in=["35.08.01", "35.08.02"]):
        for n in range(3, 7):
            village, _ = Village.objects.get_or_create(
                code=f"{district.code}.20{n:02d}",
                defaults={"district": district, "name": f"Desa {n}", "is_active": True},
            )
            villages.append(village)
    villages += [cast.village_a, cast.village_b]
    return villages


def _published(client, codes):
    out = {}
    for code in codes:
        response = client.get(f"/api/v1/stats/population/{code}")
        assert response.status_code == 200
        out[code] = response.json()
    return out


def _reader_equations(published, children):
    """(parts, total) over cells (region, table, key); total is a cell or a number."""
    known, equations = {}, []
    groups = [f"{lo}-{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_GROUPS]
    for code, data in published.items():
        total = (code, "total", "")
        known[total] = data["total"]
        for table in DIMENSIONS:
            cells = []
            for item in data[table]:
                cell = (code, table, str(item["code"]))
                known[cell] = item["count"]
                cells.append(cell)
            if cells:  # a table nobody is counted in says nothing
                equations.append((cells, total))
        for group in data["age_groups"]:
            for column in ("male", "female", "count"):
                known[(code, column, group["label"])] = group[column]
            label = group["label"]
            equations.append(
                ([(code, "male", label), (code, "female", label)], (code, "count", label))
            )
        equations.append(([(code, "count", g) for g in groups], total))
        for column, sex in (("male", "1"), ("female", "2")):
            equations.append(([(code, column, g) for g in groups], (code, "sex", sex)))
    for parent, kids in children.items():
        keys = {(t, k) for (c, t, k) in known if c in kids or c == parent}
        for table, key in keys:
            parts = [(kid, table, key) for kid in kids]
            equations.append((parts, (parent, table, key)))
    return known, equations


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_count_can_be_worked_out_from_every_published_figure(region_tree, client, seed):
    rnd = random.Random(seed)
    PopulationCount.objects.all().delete()
    for village in region_tree:
        PopulationCount.objects.bulk_create(_village_counts(rnd, village))
    districts = sorted({v.district_id for v in region_tree})
    children = {"35.08": districts}
    for district in districts:
        children[district] = sorted(v.code for v in region_tree if v.district_id == district)
    codes = ["35.08", *districts, *(v.code for v in region_tree)]
    published = _published(client, codes)
    known, equations = _reader_equations(published, children)
    hidden = [cell for cell, n in known.items() if n is None]
    assert hidden  # small counts were there to hide
    recovered = recover(known, equations)
    assert recovered == {}
    # and nothing shown is small
    assert all(n is None or n == 0 or n >= SMALL for n in known.values())
