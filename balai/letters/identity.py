"""Residents identify themselves with NIK + no. KK + date of birth, or NIK + PIN.

A failure never says which part was wrong, and both the address it came from
and the NIK it named are rate limited, so the registry cannot be probed.
Failures count; successes do not (a kiosk serves a whole village from one IP).
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext_lazy as _

from balai.letters import limits
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


def client_ip(request) -> str:
    """The address rate limits count by ("unknown" when there is none)."""
    from balai.accounts.audit import client_ip as address

    return (address(request) if request is not None else None) or "unknown"


def is_blocked(request, nik: str, also=()) -> bool:
    """Whether this address or this NIK has used up its failed attempts, or any
    of the limits in `also` is reached (one read for all)."""
    return limits.reached(
        (limits.IDENTIFY_IP, client_ip(request)), (limits.IDENTIFY_NIK, nik or "-"), *also
    )


def count_failure(request, nik: str) -> None:
    limits.hit(limits.IDENTIFY_IP, client_ip(request))
    limits.hit(limits.IDENTIFY_NIK, nik or "-")


def find_resident(village, nik: str, no_kk: str, birth_date) -> Resident | None:
    """The living resident of `village` with exactly this NIK, KK and birth date."""
    found = list(
        Resident.objects.only("pk", "village_id", "name").filter(
            village=village,
            nik=nik,
            family__no_kk=no_kk,
            birth_date=birth_date,
            status=Status.ALIVE,
        )[:1]
    )
    return found[0] if found else None


def check_pin(nik: str, pin: str):
    """The living resident's PIN record when NIK and PIN match, else None."""
    from balai.letters.models import ResidentPin

    # As with NIK + KK: a resident recorded dead or moved away signs in no more.
    found = (
        ResidentPin.objects.select_related("resident")
        .filter(resident__nik=nik, resident__status=Status.ALIVE)
        .first()
    )
    if found is None:
        check_password(pin, _DUMMY_HASH)
        return None
    return found if check_password(pin, found.pin_hash) else None
