"""Residents identify themselves with NIK + no. KK + date of birth, or NIK + PIN.

A failure never says which part was wrong, and both the address it came from
and the NIK it named are rate limited, so the registry cannot be probed.
Failures count; successes do not (a kiosk serves a whole village from one IP).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from balai.residents.choices import Status
from balai.residents.models import Resident

MISMATCH = _(
    "Data tidak cocok dengan data kependudukan desa yang dipilih. Periksa kembali NIK, "
    "nomor KK dan tanggal lahir, atau datang ke kantor desa."
)
PIN_MISMATCH = _("NIK atau PIN tidak cocok.")
TOO_MANY = _("Terlalu banyak percobaan yang gagal. Coba lagi satu jam lagi.")
# A hash to compare against when no PIN exists, so timing does not tell.
_DUMMY_HASH = make_password("000000-not-a-pin")


def _rate(name: str, default: str) -> str:
    return getattr(settings, name, default)


def _usage(request, group: str, value: str, rate: str, increment: bool):
    return get_usage(request, group=group, key=lambda g, r: value, rate=rate, increment=increment)


def _keys(request, nik: str) -> list[tuple[str, str, str]]:
    from balai.accounts.audit import client_ip

    ip = client_ip(request) or "unknown"
    return [
        ("letters.identify.ip", ip, _rate("BALAI_LETTERS_IDENTIFY_IP_RATE", "20/h")),
        ("letters.identify.nik", nik or "-", _rate("BALAI_LETTERS_IDENTIFY_NIK_RATE", "5/h")),
    ]


def is_blocked(request, nik: str) -> bool:
    for group, value, rate in _keys(request, nik):
        usage = _usage(request, group, value, rate, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def count_failure(request, nik: str) -> None:
    for group, value, rate in _keys(request, nik):
        _usage(request, group, value, rate, increment=True)


def find_resident(village, nik: str, no_kk: str, birth_date) -> Resident | None:
    """The living resident of `village` with exactly this NIK, KK and birth date."""
    return (
        Resident.objects.select_related("family", "village__district")
        .filter(
            village=village,
            nik=nik,
            family__no_kk=no_kk,
            birth_date=birth_date,
            status=Status.ALIVE,
        )
        .first()
    )


def check_pin(nik: str, pin: str):
    """The resident's PIN record when NIK and PIN match, else None."""
    from balai.letters.models import ResidentPin

    found = ResidentPin.objects.select_related("resident").filter(resident__nik=nik).first()
    if found is None:
        check_password(pin, _DUMMY_HASH)
        return None
    return found if check_password(pin, found.pin_hash) else None
