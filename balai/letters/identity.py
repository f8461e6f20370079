"""Residents identify themselves with NIK + no. KK + date of birth, or NIK + PIN.

A failure never says which part was wrong. Failures are throttled as staff
sign-in is (balai.accounts.throttle, OWASP's device cookie): per (NIK, client),
per client (an IPv4 address or an IPv6 /64) and, much more slowly, per NIK
across all clients, so the registry cannot be probed and a KK + birth date or
a PIN cannot be guessed; a browser that once succeeded for a NIK is a trusted
device for it, counted on its own, so a stranger naming a NIK (NIKs are not
secret) cannot lock its resident out. Successes do not count (a kiosk serves a
whole village from one address).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext_lazy as _

from balai.accounts.ratelimit import Check
from balai.accounts.throttle import Policy, Throttle
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

IDENTIFY = Policy(
    name="identify",
    rates={
        "device": ("BALAI_LETTERS_IDENTIFY_DEVICE_RATE", "10/h"),
        "account_ip": ("BALAI_LETTERS_IDENTIFY_NIK_CLIENT_RATE", "5/h"),
        "ip": ("BALAI_LETTERS_IDENTIFY_IP_RATE", "20/h"),
        # Across every untrusted client: 50 a day leaves a PIN (10^6) or a KK
        # and birth date out of reach, and stops nobody holding a trusted device.
        "account": ("BALAI_LETTERS_IDENTIFY_NIK_RATE", "50/d"),
    },
    cookie="balai_resident_device",
    cookie_path="/",
    salt="balai.letters.resident-device",
)


def throttle(request, nik: str, also: tuple[Check, ...] = ()) -> Throttle:
    """The identification limits for `nik` from `request`, read in one query
    together with `also`."""
    return Throttle(IDENTIFY, request, nik or "-", also)


def submit_limit(client: str) -> Check:
    """Submissions from one client (counted in the submission's transaction)."""
    return ("letters-submit", client, getattr(settings, "BALAI_LETTERS_SUBMIT_IP_RATE", "60/h"))


def verify_limit(client: str) -> Check:
    """Uploads of a PDF to compare with an issued letter, from one client."""
    return ("letters-verify", client, getattr(settings, "BALAI_LETTERS_VERIFY_IP_RATE", "60/h"))


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
