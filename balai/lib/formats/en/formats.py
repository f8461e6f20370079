"""The English interface serves Indonesian residents: dates are still day first
(`17/08/1990`, balai/lib/fields.py), never month first as in Django's `en`."""

from balai.lib.fields import DATE_INPUT_FORMATS as DATE_INPUT_FORMATS
