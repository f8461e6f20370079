"""Numbers and money as Indonesians write them: read exactly, or refused with the fix."""

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template

from balai.lib.numbers import (
    IndonesianDecimalField,
    MoneyField,
    NumberError,
    format_number,
    format_rupiah,
    parse_number,
)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.500.000", Decimal("1500000")),
        ("2,5", Decimal("2.5")),
        ("Rp 900.000", Decimal("900000")),
        ("Rp900.000,-", Decimal("900000")),
        ("rp. 1.500", Decimal("1500")),
        ("1.500.000,75", Decimal("1500000.75")),
        (" 1 500 000 ", Decimal("1500000")),
        ("1500000", Decimal("1500000")),
        ("-3", Decimal("-3")),
        ("0,05", Decimal("0.05")),
    ],
)
def test_it_reads_numbers_written_the_indonesian_way(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["2.5", "12.75"])
def test_a_decimal_point_is_refused_with_the_comma_form_shown(typed):
    with pytest.raises(NumberError) as error:
        parse_number(typed)
    assert str(error.value) == (
        f"Pakai koma untuk desimal: tulis {typed.replace('.', ',')}, bukan {typed}."
    )


@pytest.mark.parametrize("typed", ["1,500,000", "1.50.000", "12a", "1.500,000.5", "Rp", ""])
def test_what_cannot_be_read_one_way_is_refused_never_guessed(typed):
    with pytest.raises(NumberError):
        parse_number(typed)


def test_it_prints_numbers_and_money_the_indonesian_way():
    assert format_number(1500000) == "1.500.000"
    assert format_number("2.50") == "2,5"
    assert format_number(Decimal("1234567.5")) == "1.234.567,5"
    assert format_number(-1200) == "-1.200"
    assert format_rupiah(1500000) == "Rp1.500.000"
    assert format_rupiah("900000.00") == "Rp900.000"
    assert format_rupiah(0) == "Rp0"
    assert format_rupiah(None) == ""


def test_every_template_has_the_rupiah_and_angka_filters():
    text = Template("{{ a|rupiah }} {{ b|angka }} {{ c|rupiah }}").render(
        Context({"a": 1500000, "b": Decimal("2.5"), "c": "bukan angka"})
    )
    assert text == "Rp1.500.000 2,5 bukan angka"


def test_the_field_reads_indonesian_numbers_and_says_how_to_fix_others():
    field = IndonesianDecimalField(max_digits=15, decimal_places=2)
    assert field.clean("2,5") == Decimal("2.5")
    assert field.clean("1.500.000") == Decimal("1500000")
    with pytest.raises(forms.ValidationError) as error:
        field.clean("2.5")
    assert error.value.messages == ["Pakai koma untuk desimal: tulis 2,5, bukan 2.5."]


def test_the_field_is_a_text_input_with_the_decimal_keypad_and_shows_the_comma():
    class Form(forms.Form):
        amount = IndonesianDecimalField(max_digits=15, decimal_places=2)

    html = str(Form(initial={"amount": Decimal("2.5")})["amount"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="2,5"' in html
    # What was typed comes back unchanged when the form is shown again.
    assert 'value="2.5"' in str(Form({"amount": "2.5"})["amount"])


def test_money_is_whole_rupiah():
    field = MoneyField()
    assert field.clean("Rp 900.000") == Decimal("900000")
    with pytest.raises(forms.ValidationError) as error:
        field.clean("900.000,50")
    assert error.value.messages == ["Tulis rupiah tanpa sen, mis. Rp1.500.000."]
    with pytest.raises(forms.ValidationError):
        field.clean("-5")
