"""Numbers and money as Indonesians write them: `1.500.000`, `2,5`, `Rp 900.000,-`.

A dot groups thousands, a comma starts the decimals. What cannot be read one
way only is refused with a message that shows the right form, never guessed:
`2.5` (a dot that is not a thousands group) and `1,500,000` (commas as
groups) are refused rather than turned into 25 or 1.5. The form fields use a
text input with `inputmode="decimal"`, not `type="number"`: Chromium's number
input drops the comma of "2,5" as a grouping mark and sends 25 (seen with the
browser tests' Chromium in both the en-US and the id-ID locale), which is how
"2,5" silently became 25 in the letter forms.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

_CURRENCY = re.compile(r"^(?:rp\.?)\s*", re.IGNORECASE)
_PLAIN = re.compile(r"^[0-9]+(?:,[0-9]+)?$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?$")

WRITE_LIKE = _("Tulis angka seperti 1.500.000 atau 2,5 (titik untuk ribuan, koma untuk desimal).")


class NumberError(ValueError):
    """Why a text is not a number written the Indonesian way (an Indonesian message)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def parse_number(text: str) -> Decimal:
    """`1.500.000` -> 1500000, `2,5` -> 2.5, `Rp 900.000,-` -> 900000; else NumberError."""
    value = re.sub(r"\s+", "", str(text or ""))
    value = _CURRENCY.sub("", value)
    if value.endswith(",-"):  # "Rp 900.000,-": no cents
        value = value[:-2]
    negative = value.startswith("-")
    value = value.removeprefix("-")
    if not value:
        raise NumberError(_("Isi dengan angka."))
    if not (_PLAIN.match(value) or _GROUPED.match(value)):
        if re.fullmatch(r"[0-9]+\.[0-9]{1,2}", value):
            # "2.5", "12.75": a decimal point, the English way.
            raise NumberError(
                _("Pakai koma untuk desimal: tulis %(fixed)s, bukan %(typed)s.")
                % {"fixed": value.replace(".", ","), "typed": value}
            )
        raise NumberError(WRITE_LIKE)
    try:
        number = Decimal(value.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the patterns above admit only numbers
        raise NumberError(WRITE_LIKE) from None
    return -number if negative else number


def format_number(value, decimals: int | None = None) -> str:
    """1500000 -> `1.500.000`, 2.5 -> `2,5` (no trailing zeros unless `decimals`)."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = round(number, decimals)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = format(abs(number), "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_rupiah(value) -> str:
    """1500000 -> `Rp1.500.000` (KBBI/PUEBI: no space, no cents)."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    text = format_number(abs(number), decimals=0)
    return f"-Rp{text}" if number < 0 else f"Rp{text}"


class NumberInput(forms.TextInput):
    """A text input with the phone's decimal keypad (see the module's docstring)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_number(value)
        return super().format_value(value)


class IndonesianDecimalField(forms.DecimalField):
    """A DecimalField that reads `1.500.000` and `2,5`, and says how to write what it refuses."""

    widget = NumberInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return Decimal(str(value))
        try:
            return parse_number(value)
        except NumberError as error:
            raise forms.ValidationError(error.message, code="invalid") from None

    def widget_attrs(self, widget):
        # No `step`/`min`/`max` attributes: this is a text input (see the module).
        return forms.Field.widget_attrs(self, widget)


class MoneyField(IndonesianDecimalField):
    """Whole rupiah: `Rp 900.000` -> 900000; sen are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "error_messages",
            {
                "max_decimal_places": _("Tulis rupiah tanpa sen, mis. Rp1.500.000."),
                "min_value": _("Jumlah rupiah tidak boleh negatif."),
            },
        )
        super().__init__(**kwargs)
