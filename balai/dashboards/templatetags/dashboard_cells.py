"""`{% cell c %}`: a dashboard cell as HTML (a link to its list where it has one)."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()
DASH = "\u2013"  # what a hidden number shows


def _shown(cell) -> str:
    if cell.kind == "percent":
        return f"{number_format(cell.value, 1)} %"
    if cell.kind == "hours":
        return number_format(cell.value, 1)
    if cell.kind == "count":
        return number_format(cell.value, 0, force_grouping=True)
    return str(cell.value)


@register.simple_tag
def cell(c):
    if c.hidden:
        return format_html(
            '<span class="hidden-count">{}<span class="sr">{}</span></span>',
            DASH,
            _("disembunyikan"),
        )
    shown = _shown(c)
    html = format_html('<a href="{}">{}</a>', c.link, shown) if c.link else format_html("{}", shown)
    if c.share is not None:
        share = DASH if c.share.hidden else _shown(c.share)
        html = format_html('{} <span class="muted">({})</span>', html, share)
    return html
