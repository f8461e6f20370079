"""One form for every phone number: `6281234567890`, the E.164 digits without `+`.

That is what WhatsApp (wa.me links), SMS gateways and the letters' stored
numbers already use. Residents type `0812-3456-7890`, `+62 812 3456 7890`,
`62812...` or `(0334) 881234`; Google's libphonenumber (the `phonenumbers`
package, pinned exactly in pyproject.toml because each release changes which
prefixes are valid) reads them as Indonesian numbers and refuses what is not a
possible number, rather than a regular expression per form as before.
"""

from __future__ import annotations

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

REGION = "ID"
INVALID = _("Nomor telepon tidak sah; tulis seperti 0812 3456 7890.")
NOT_MOBILE = _("Nomor WhatsApp harus nomor HP, seperti 0812 3456 7890.")


class PhoneError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _parse(text: str) -> phonenumbers.PhoneNumber:
    raw = (text or "").strip()
    if raw.startswith("62") and raw[:3] != "620":
        raw = "+" + raw  # "62812...": the country code without its plus
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException:
        raise PhoneError(INVALID) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(INVALID)
    return number


def normalise(text: str, *, mobile: bool = False) -> str:
    """`0812-3456-7890` -> `6281234567890`; "" for ""; PhoneError when not a number.

    `mobile`: only a mobile number (one that WhatsApp and SMS can reach)."""
    if not (text or "").strip():
        return ""
    number = _parse(text)
    if mobile and phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise PhoneError(NOT_MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def normalise_or_none(text: str, *, mobile: bool = False) -> str | None:
    """`normalise`, or None for what is not a number (numbers stored before this)."""
    try:
        return normalise(text, mobile=mobile) or None
    except PhoneError:
        return None


def normalise_stored(model, *fields: str, batch_size: int = 2000) -> int:
    """Rewrite the phone `fields` of `model`'s rows in the one stored form (a data
    migration's step, for numbers kept before this module): what `normalise` cannot
    read stays as it was typed. Returns how many rows changed."""
    changed, batch = 0, []
    rows = model.objects.exclude(**{field: "" for field in fields}).only("pk", *fields)
    for row in rows.iterator(chunk_size=batch_size):
        before = [getattr(row, field) for field in fields]
        for field, value in zip(fields, before, strict=True):
            setattr(row, field, normalise_or_none(value) or value)
        if [getattr(row, field) for field in fields] != before:
            batch.append(row)
        if len(batch) == batch_size:
            changed += model.objects.bulk_update(batch, fields)
            batch = []
    return changed + model.objects.bulk_update(batch, fields)


def display(value: str) -> str:
    """`6281234567890` -> `0812-3456-7890` as people read it, `62334881234` ->
    `(0334) 881234`, other countries in international form; else unchanged."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse("+" + value if value.isdigit() else value, REGION)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    if number.country_code != 62:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national if national.startswith("(") else national.replace(" ", "-")


class PhoneField(forms.CharField):
    """A phone number in any common writing, cleaned to the one stored form."""

    def __init__(self, *, mobile: bool = True, **kwargs):
        self.mobile = mobile
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return normalise(value, mobile=self.mobile)
        except PhoneError as error:
            raise forms.ValidationError(error.message, code="phone") from None

    def prepare_value(self, value):
        return display(value) if value else value
