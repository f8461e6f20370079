"""Kemendagri region codes (Permendagri 137/2017): PP.RR.DD.VVVV.

Read from the bundled CSV files, so that settings can check the configured
regency before any database exists.
"""

import csv
import re
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

CODE_PATTERNS = {
    "province": re.compile(r"^\d{2}$"),
    "regency": re.compile(r"^\d{2}\.\d{2}$"),
    "district": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "village": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}

# Indonesia's three time zones by province code: WIT for Maluku and Papua,
# WITA for Bali, Nusa Tenggara, Sulawesi and most of Kalimantan, WIB elsewhere.
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}


def level_of(code: str) -> str | None:
    for level, pattern in CODE_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def time_zone_for(code: str) -> str:
    province = code[:2]
    if province in _WIT:
        return "Asia/Jayapura"
    if province in _WITA:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def village_kind(code: str) -> str:
    """'kelurahan' when the village part starts with 1, else 'desa'."""
    return "kelurahan" if code.split(".")[-1].startswith("1") else "desa"


def compact(code: str) -> str:
    """The code without dots, as OpenSID and NIKs write it (3508012001)."""
    return code.replace(".", "")


@cache
def regency_names() -> dict[str, str]:
    with open(DATA_DIR / "regencies.csv", newline="", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


@cache
def district_codes() -> frozenset[str]:
    """All district codes without dots: what a NIK's first six digits must be."""
    with open(DATA_DIR / "districts.csv", newline="", encoding="utf-8") as f:
        return frozenset(compact(row["code"]) for row in csv.DictReader(f))
