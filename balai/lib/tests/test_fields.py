"""Dates typed day first and identity numbers with messages in the resident's terms."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from balai.lib.fields import DateField, DigitsField


class Form(forms.Form):
    nik = DigitsField(required=False)
    no_kk = DigitsField(name="Nomor KK", required=False)
    day = DateField(required=False)


@pytest.mark.parametrize(
    "typed", ["17/08/1990", "17-08-1990", "17.08.1990", "1990-08-17", "17081990", "17/8/1990"]
)
def test_dates_are_read_day_first(typed):
    form = Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(1990, 8, 17)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_date_is_never_read_month_first_in_either_language(language):
    with translation.override(language):
        form = Form({"day": "03/04/1990"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == dt.date(1990, 4, 3)
        assert not Form({"day": "08/17/1990"}).is_valid()


def test_a_date_field_shows_dd_mm_yyyy_in_a_text_input_with_the_numeric_keypad():
    html = str(Form(initial={"day": dt.date(1990, 8, 17)})["day"])
    assert 'type="text"' in html
    assert 'value="17/08/1990"' in html
    assert 'inputmode="numeric"' in html
    assert 'placeholder="hh/bb/tttt"' in html


def test_a_wrong_date_says_how_to_write_it():
    form = Form({"day": "17 Agustusan"})
    assert form.errors["day"] == ["Tulis tanggal sebagai tanggal/bulan/tahun, mis. 17/08/1990."]


def test_a_short_nik_says_how_many_digits_were_typed():
    form = Form({"nik": "350801420761000"})
    assert form.errors["nik"] == ["NIK terdiri dari 16 angka; Anda mengetik 15."]
    form = Form({"no_kk": "3508 0101 0109 00011"})
    assert form.errors["no_kk"] == ["Nomor KK terdiri dari 16 angka; Anda mengetik 17."]


def test_a_nik_with_letters_says_so_and_spaces_between_groups_are_fine():
    assert Form({"nik": "35080142O7610001"}).errors["nik"] == [
        "NIK hanya berisi angka, tanpa huruf."
    ]
    form = Form({"nik": "3508 0142 0761 0001"})
    assert form.is_valid()
    assert form.cleaned_data["nik"] == "3508014207610001"
