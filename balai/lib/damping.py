"""Flap damping: a state changes only after `needed` consecutive observations agree.

A camera or a service that answers one probe in two would otherwise raise an
alert and a webhook every round. The object carries its state in `<field>`
and `<field>_since`, and what it is tending to in `pending_<field>`,
`pending_count` and `pending_since` (cameras: `state`; catalogue services:
`health`). A first observation (the state is still `unknown`) is taken at
once; a change counts from the first observation that saw it.
"""

from __future__ import annotations

from typing import Any


def step(obj: Any, seen: str, at, *, needed: int, unknown: str, field: str = "state"):
    """Feed one observation; (old, new) when the damped state changes, else None."""
    old = getattr(obj, field)
    if seen == old:
        obj.pending_count, obj.pending_since = 0, None
        setattr(obj, f"pending_{field}", "")
        return None
    if getattr(obj, f"pending_{field}") == seen:
        obj.pending_count += 1
    else:
        setattr(obj, f"pending_{field}", seen)
        obj.pending_count, obj.pending_since = 1, at
    if old != unknown and obj.pending_count < needed:
        return None
    setattr(obj, field, seen)
    setattr(obj, f"{field}_since", obj.pending_since or at)
    setattr(obj, f"pending_{field}", "")
    obj.pending_count, obj.pending_since = 0, None
    return old, seen
