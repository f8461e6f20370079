import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from balai.residents import names
from balai.residents.nik import (
    kk_errors,
    make_nik,
    mask,
    nik_errors,
    nik_mismatches,
    parse_nik,
    validate_nik,
)


def test_a_womans_nik_adds_forty_to_the_day():
    nik = make_nik("350801", dt.date(1961, 7, 2), 2, 1)
    assert nik == "3508014207610001"
    parts = parse_nik(nik)
    assert (parts.day, parts.month, parts.year2, parts.sex) == (2, 7, 61, 2)


def test_it_accepts_a_valid_nik():
    assert nik_errors("3508010207610001") == []


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("350801020761000", "16 angka"),
        ("35080102076100O1", "16 angka"),
        ("".join(chr(0xFF10 + int(d)) for d in "3508010207610001"), "16 angka"),
        ("9999990207610001", "kode kecamatan"),
        ("3508013202610001", "bukan tanggal"),
        ("3508017202610001", "bukan tanggal"),
        ("3508010207610000", "0000"),
    ],
)
def test_it_explains_why_a_nik_is_wrong(value, fragment):
    assert any(fragment in e for e in nik_errors(value))
    with pytest.raises(ValidationError):
        validate_nik(value)


def test_february_29th_needs_a_leap_year():
    assert nik_errors("3508012902000001") == []
    assert nik_errors("3508012902010001") != []


def test_opensids_temporary_nik_is_accepted_but_not_parsed():
    temporary = "0350801200100001"
    assert nik_errors(temporary) == []
    assert nik_errors(temporary, allow_temporary=False) != []
    assert parse_nik(temporary) is None


def test_a_nik_disagreeing_with_the_record_is_a_warning():
    nik = make_nik("350801", dt.date(1990, 5, 17), 1, 12)
    assert nik_mismatches(nik, dt.date(1990, 5, 17), 1) == []
    warnings = nik_mismatches(nik, dt.date(1990, 5, 18), 2)
    assert len(warnings) == 2


def test_kk_must_start_with_a_district_code():
    assert kk_errors("3508010101200001") == []
    assert kk_errors("1234560101200001") != []
    assert kk_errors("35080101") != []


def test_masking_keeps_the_district_start_and_the_serial():
    assert mask("3508010207610001") == "3508••••••••0001"


def test_names_fold_accents_case_and_spelling():
    assert names.fold("  Siti  NUR'AINI ") == "siti nuraini"
    assert names.fold("Zoë Ñúñez") == "zoe nunez"
    assert names.sound("Mochamad") == names.sound("Muhammad") == names.sound("Mohamad")
    assert names.sound("Soekarno") == names.sound("Sukarno")
    assert names.sound("Djoko") == names.sound("Joko")


def test_new_uuids_are_time_ordered_version_7_and_distinct():
    from balai.residents.models import new_uuid

    ids = [new_uuid() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(u.version == 7 and u.variant == "specified in RFC 4122" for u in ids)
    assert ids[0].int >> 80 <= ids[-1].int >> 80
