"""Numbers in a letter read as Indonesians write them: Rp1.500.000, 2,5."""

import datetime as dt

from balai.letters import document, placeholders
from balai.letters.models import LetterType
from balai.letters.tests.world import submit


def test_money_in_the_letter_prints_as_rupiah(world):
    sktm = LetterType.objects.get(code="tidak-mampu")
    req = submit(world, letter_type=sktm, values={"penghasilan": "1500000", "tanggungan": "3"})
    values = document.letter_values(
        req, signer="SUTRISNO", issued=dt.date(2026, 12, 5), valid_until=None
    )
    body = " ".join(placeholders.fill(p, values) for p in placeholders.paragraphs(sktm.body))
    assert "penghasilan sekitar Rp1.500.000 per bulan dan 3 orang tanggungan" in body


def test_staff_see_numbers_the_same_way(world):
    sktm = LetterType.objects.get(code="tidak-mampu")
    req = submit(world, letter_type=sktm, values={"penghasilan": "2500000.5", "tanggungan": ""})
    assert req.value_rows() == [
        ("Penghasilan keluarga per bulan (Rp)", "2.500.000,5"),
        ("Jumlah tanggungan", "-"),
    ]
