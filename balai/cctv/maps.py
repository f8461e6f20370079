"""Map markers for the camera pages: plain data for a JSON block, read by cctv/map.js.

Built from an already scoped queryset (`for_user` or `public()`); a marker carries
the name, state and (for staff) the camera's page, never an address or credentials.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from balai.cctv.choices import State

# Markers drawn at most: a bounded block on a phone; the list below still has them all.
MAP_LIMIT = 1000


def _placed(cameras):
    return (
        cameras.select_related(None)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("name", "pk")
    )


def staff_markers(cameras) -> list[dict]:
    """Every placed camera of `cameras` (scoped by the caller) with its state and page."""
    rows = _placed(cameras).only("public_id", "name", "state", "latitude", "longitude")
    return [
        {
            "lat": c.latitude,
            "lon": c.longitude,
            "name": c.name,
            "state": c.state,
            "label": c.get_state_display(),
            "url": reverse("cctv:camera", args=[c.public_id]),
        }
        for c in rows[:MAP_LIMIT]
    ]


def public_markers(cameras) -> list[dict]:
    """Public cameras with their status only, the site-down state shown as down."""
    rows = _placed(cameras.public()).only("name", "state", "latitude", "longitude")
    markers = []
    for c in rows[:MAP_LIMIT]:
        state = State.DOWN if c.is_down else State(c.state)
        label = _("Mati") if c.is_down else c.get_state_display()
        markers.append(
            {
                "lat": c.latitude,
                "lon": c.longitude,
                "name": c.name,
                "state": state.value,
                "label": label,
            }
        )
    return markers
