"""Login throttling that slows guessing without letting anyone lock an account out.

OWASP's "device cookie" scheme, counted in the cache through django-ratelimit:

- A browser that once signed in to an account holds a signed device cookie
  for it. Its failures are counted per device only, so a stranger guessing
  that account's password never locks its owner out.
- Every other attempt is counted per (account, IP), per IP, and per account
  across all untrusted clients. The per-account limit is the one a stranger
  could exhaust; it stops only untrusted clients, never a trusted device.

Failures count, successes do not; limits are fixed windows of WINDOW.
"""

import secrets

from django.core import signing
from django_ratelimit.core import get_usage

from balai.accounts.audit import client_ip

WINDOW = "15m"
WINDOW_MINUTES = 15
LIMITS = {
    "device": 10,  # failures from one trusted device for its account
    "account_ip": 5,  # failures for one account from one IP
    "ip": 30,  # failures from one IP, any account
    "account": 20,  # failures for one account from all untrusted clients
}
DEVICE_COOKIE = "balai_device"
DEVICE_COOKIE_AGE = 180 * 24 * 3600
DEVICE_SALT = "balai.accounts.device-cookie"


def normalise(username: str) -> str:
    return username.strip().lower()


def device_cookie_value(username: str) -> str:
    return signing.dumps(
        {"u": normalise(username), "n": secrets.token_urlsafe(12)}, salt=DEVICE_SALT
    )


def set_device_cookie(response, username: str, *, secure: bool) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device_cookie_value(username),
        max_age=DEVICE_COOKIE_AGE,
        path="/akun/",
        secure=secure,
        httponly=True,
        samesite="Lax",
    )


class LoginThrottle:
    """The counters that apply to one login attempt for `username` from `request`."""

    def __init__(self, request, username: str):
        self.request = request
        self.username = normalise(username)
        self.ip = client_ip(request) or "unknown"
        self.device = self._trusted_device(request.COOKIES.get(DEVICE_COOKIE))

    def _trusted_device(self, cookie: str | None) -> str | None:
        """The device nonce if the cookie was issued for this account and is not locked."""
        if not cookie:
            return None
        try:
            data = signing.loads(cookie, salt=DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or data.get("u") != self.username:
            return None
        nonce = str(data.get("n", ""))
        if self._count("device", nonce, increment=False) >= LIMITS["device"]:
            return None  # a locked device cookie counts as untrusted
        return nonce

    def _keys(self) -> dict[str, str]:
        if self.device:
            return {"device": self.device}
        return {
            "account_ip": f"{self.username}|{self.ip}",
            "ip": self.ip,
            "account": self.username,
        }

    def _count(self, limit: str, value: str, *, increment: bool) -> int:
        usage = get_usage(
            self.request,
            group=f"login-{limit}",
            key=lambda group, request: value,
            rate=f"{LIMITS[limit]}/{WINDOW}",
            increment=increment,
        )
        return usage["count"] if usage else 0

    @property
    def trusted(self) -> bool:
        return self.device is not None

    def blocked(self) -> str | None:
        """The name of the limit this attempt is over, or None."""
        for limit, value in self._keys().items():
            if self._count(limit, value, increment=False) >= LIMITS[limit]:
                return limit
        return None

    def record_failure(self) -> None:
        for limit, value in self._keys().items():
            self._count(limit, value, increment=True)
