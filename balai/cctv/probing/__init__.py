"""Probing cameras and services: knows nothing of the database or the app.

Give it `Target`s, get `Result`s back; the cctv app turns results into states.
"""

from .engine import probe, probe_all, run_round
from .results import (
    DEFAULT_LIMITS,
    DEGRADED_PROBLEMS,
    DOWN_PROBLEMS,
    PROBLEM_TEXT,
    Check,
    Limits,
    Problem,
    Result,
    Target,
)
from .snapshots import FINGERPRINT_MAX_LENGTH

__all__ = [
    "DEFAULT_LIMITS",
    "DEGRADED_PROBLEMS",
    "DOWN_PROBLEMS",
    "FINGERPRINT_MAX_LENGTH",
    "PROBLEM_TEXT",
    "Check",
    "Limits",
    "Problem",
    "Result",
    "Target",
    "probe",
    "probe_all",
    "run_round",
]
