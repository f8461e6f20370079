"""Indonesian formats where Balai reads dates differently from Django's `id`:
no month-first forms (balai/lib/fields.py)."""

from balai.lib.fields import DATE_INPUT_FORMATS as DATE_INPUT_FORMATS
