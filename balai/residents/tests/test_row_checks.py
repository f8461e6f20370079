"""The fast row check and the full one agree on every row the fast one accepts."""

import datetime as dt
import random

from balai.residents.generate import Generator, as_opensid_row
from balai.residents.importing.rows import (
    OPENSID_COLUMNS,
    Columns,
    ImportResult,
    checked_row,
    fast_row,
)
from balai.residents.nik import make_nik

TODAY = dt.date(2026, 11, 2)
VILLAGE = "3508012001"
COLUMN = {name: i for i, name in enumerate(OPENSID_COLUMNS)}


def _variants(row: list, rnd: random.Random) -> list[list]:
    """The row and edge cases of it: each changes one thing the two checks both look at."""
    out = [row]

    def changed(**values):
        copy = list(row)
        for name, value in values.items():
            copy[COLUMN[name]] = value
        out.append(copy)

    nik, birth = row[COLUMN["nik"]], row[COLUMN["tanggallahir"]]
    sex = row[COLUMN["sex"]]
    other_sex = 2 if sex == 1 else 1
    changed(sex=other_sex)  # the NIK says the other sex: a warning, not a fast row
    changed(sex=str(sex), agama_id=str(row[COLUMN["agama_id"]]))  # codes as text
    changed(sex="L" if sex == 1 else "P")  # a label
    changed(tanggallahir=birth + dt.timedelta(days=1))  # the NIK's date disagrees
    changed(tanggallahir=birth.isoformat())  # a date as text
    changed(tanggallahir=TODAY + dt.timedelta(days=1))  # in the future
    changed(tanggallahir=dt.date(birth.year + 100, birth.month, min(birth.day, 28)))
    changed(nik=nik[:6] + f"{int(nik[6:8]) + 40:02d}" + nik[8:])  # female day on a male
    changed(nik="0" + nik[1:])
    changed(nik=nik[:12] + "0000")
    changed(nik=nik[:15])
    changed(nik="9999" + nik[4:])  # an unknown district
    changed(nik="0" + VILLAGE + "000001"[:5])  # a temporary NIK of this village
    changed(no_kk="3508")
    changed(no_kk="9999" + row[COLUMN["no_kk"]][4:])
    changed(nama="   ")
    changed(nama="x" * 151)
    changed(nama=" Siti ")
    changed(agama_id="")
    changed(agama_id=0)
    changed(agama_id=99)
    changed(golongan_darah_id=None)
    changed(status_dasar=6)
    changed(status_dasar="")
    changed(status_dasar=5)
    changed(warganegara_id=3)
    changed(ayah_nik="123")
    changed(ayah_nik=make_nik("350801", dt.date(1960, 1, 1), 1, rnd.randint(1, 9999)))
    changed(ibu_nik=1234567890123456)
    changed(rt=7, rw="12", dusun=None, alamat=1.0)
    return out


def _rows(count: int) -> list[list]:
    rnd = random.Random(7)
    people = list(Generator(seed=7).residents("35.08.01.2001", count))
    rows = []
    for person in people:
        rows.extend(_variants(as_opensid_row(person), rnd))
    return rows


def test_fast_and_full_checks_give_the_same_record_for_every_fast_row():
    cols = Columns({name: i for i, name in enumerate(OPENSID_COLUMNS)})
    accepted = refused = 0
    for number, cells in enumerate(_rows(60), start=2):
        cells = cols.pad(cells)
        fast_result = ImportResult()
        fast = None
        if cells[COLUMN["nik"]].__class__ is str and cells[COLUMN["no_kk"]].__class__ is str:
            fast = fast_row(cells, cols.index, number, VILLAGE, TODAY, fast_result)
        assert fast_result.problems == []  # the fast path never reports, it steps aside
        full_result = ImportResult()
        full = checked_row(cells, cols.index, number, VILLAGE, TODAY, full_result)
        if fast is None:
            refused += 1
            continue
        accepted += 1
        assert full_result.problems == [], (cells, full_result.problems)
        assert full is not None
        assert (fast.nik, fast.no_kk, fast.family, fast.values) == (
            full.nik,
            full.no_kk,
            full.family,
            full.values,
        ), cells
    # Both kinds of row were seen: the comparison is not vacuous.
    assert accepted >= 60 and refused >= 60 * 20
