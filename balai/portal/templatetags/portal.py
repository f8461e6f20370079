"""Showing text staff typed: escaped, with web addresses turned into links."""

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from balai.lib import phones

register = template.Library()


@register.filter(is_safe=False)
def plain_text(value: str) -> SafeString:
    """Paragraphs of escaped text; http(s) and www addresses become nofollow links.

    Nothing typed is ever markup: urlize escapes all text around the links it
    makes, and only http(s)/www addresses and e-mail become links (never
    javascript: or data:).
    """
    linked = urlize(str(value or ""), nofollow=True, autoescape=True)
    return mark_safe(linebreaks(linked, autoescape=False))


@register.filter
def tel(value: str) -> str:
    """A number for a tel: link: +62... (balai/lib/phones.py), else digits and a leading +."""
    value = str(value or "").strip()
    normal = phones.normalise_or_none(value)
    if normal:
        return "+" + normal
    digits = "".join(ch for ch in value if ch.isdigit())
    return ("+" + digits) if value.startswith("+") else digits
