"""Template filters for every template (settings TEMPLATES builtins): money,
numbers and phone numbers the one Indonesian way.

    {{ amount|rupiah }}  -> Rp1.500.000
    {{ count|angka }}    -> 1.500.000, 2,5
    {{ phone|telepon }}  -> 0812-3456-7890
"""

from django import template

from balai.lib import numbers, phones

register = template.Library()


@register.filter
def rupiah(value) -> str:
    try:
        return numbers.format_rupiah(value)
    except (ArithmeticError, ValueError):
        return str(value)


@register.filter
def angka(value) -> str:
    try:
        return numbers.format_number(value)
    except (ArithmeticError, ValueError):
        return str(value)


@register.filter
def telepon(value) -> str:
    return phones.display(str(value or ""))
