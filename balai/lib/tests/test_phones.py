"""One form for every phone number (libphonenumber), whoever typed it how."""

import pytest
from django import forms
from django.template import Context, Template

from balai.lib.phones import PhoneError, PhoneField, display, normalise, normalise_or_none


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "0812 3456 7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890"],
)
def test_every_writing_of_a_mobile_number_becomes_one_form(typed):
    assert normalise(typed) == "6281234567890"
    assert normalise(typed, mobile=True) == "6281234567890"


def test_a_landline_is_a_number_but_not_a_whatsapp_number():
    assert normalise("(0334) 881234") == "62334881234"
    with pytest.raises(PhoneError) as error:
        normalise("(0334) 881234", mobile=True)
    assert "nomor HP" in str(error.value)


@pytest.mark.parametrize("typed", ["08123", "12ab", "0812345678901234567", "62"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(PhoneError):
        normalise(typed)
    assert normalise_or_none(typed) is None


def test_empty_stays_empty():
    assert normalise("  ") == ""


def test_stored_numbers_are_shown_as_people_read_them():
    assert display("6281234567890") == "0812-3456-7890"
    assert display("62334881234") == "(0334) 881234"
    assert display("442079460958") == "+44 20 7946 0958"
    assert display("as typed long ago") == "as typed long ago"
    html = Template("{{ p|telepon }}").render(Context({"p": "6281234567890"}))
    assert html == "0812-3456-7890"


def test_the_field_cleans_to_the_stored_form_and_shows_it_readable():
    class Form(forms.Form):
        phone = PhoneField(required=False)

    form = Form({"phone": "0812 3456 7890"})
    assert form.is_valid()
    assert form.cleaned_data["phone"] == "6281234567890"
    assert 'value="0812-3456-7890"' in str(Form(initial={"phone": "6281234567890"})["phone"])
    bad = Form({"phone": "12ab"})
    assert not bad.is_valid()
    assert bad.errors["phone"] == ["Nomor telepon tidak sah; tulis seperti 0812 3456 7890."]
