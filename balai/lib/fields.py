"""Form fields for what Indonesians type: dates as `17/08/1990`, NIK and KK numbers.

Dates are shown and read as `dd/mm/yyyy` (also `17-08-1990`, `17.08.1990`
and ISO `1990-08-17`, never month first) in a plain text input with the
numeric keypad. A native `type="date"` picker shows the phone's own locale
order and, for a birth date, makes a resident scroll back decades; typing
eight digits is faster and reads the same on every phone.

Identity numbers say what is wrong in the resident's terms ("NIK terdiri
dari 16 angka; Anda mengetik 15.") instead of Django's generic "Pastikan nilai
ini mengandung paling sedikit 16 karakter".
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_DISPLAY = "%d/%m/%Y"
DATE_PLACEHOLDER = _("hh/bb/tttt")
NIK = _("NIK")


class DateInput(forms.DateInput):
    """A text input showing `17/08/1990`, with the numeric keypad on phones."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "placeholder": DATE_PLACEHOLDER,
            "maxlength": "10",
            "autocomplete": "off",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_DISPLAY)


class DateField(forms.DateField):
    """A date typed as `dd/mm/yyyy` (see the module's docstring)."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Tulis tanggal sebagai tanggal/bulan/tahun, mis. 17/08/1990."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if re.fullmatch(r"[0-9]{8}", value):  # "17081990", typed without separators
                value = f"{value[:2]}/{value[2:4]}/{value[4:]}"
        return super().to_python(value)


class DigitsField(forms.CharField):
    """A number of exactly `length` digits (NIK, no. KK), spaces and dots allowed
    between them; `name` is how the message calls it ("NIK", "Nomor KK")."""

    def __init__(self, *, length: int = 16, name=NIK, **kwargs):
        self.length = length
        self.name = name
        widget_attrs = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": str(length + 8),  # room for spaces between groups
        }
        kwargs.setdefault("widget", forms.TextInput(attrs=widget_attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = re.sub(r"[\s.\-]", "", super().to_python(value))
        if value in self.empty_values:
            return value
        if not value.isdigit():
            raise forms.ValidationError(
                _("%(name)s hanya berisi angka, tanpa huruf.") % {"name": self.name},
                code="digits",
            )
        if len(value) != self.length:
            raise forms.ValidationError(
                _("%(name)s terdiri dari %(length)s angka; Anda mengetik %(typed)s.")
                % {"name": self.name, "length": self.length, "typed": len(value)},
                code="length",
            )
        return value
