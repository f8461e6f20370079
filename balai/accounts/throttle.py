"""Throttling that slows guessing without letting anyone lock an account out.

OWASP's "device cookie" scheme, for staff signing in (`LOGIN`) and residents
identifying themselves by NIK (balai.letters.identity), counted by Balai's
one rate-limit mechanism (balai.accounts.ratelimit):

- A browser that once succeeded for an account holds a signed device cookie
  for it. Its failures are counted per device only, so a stranger guessing
  that account never locks its owner out.
- Every other attempt is counted per (account, client), per client, and per
  account across all untrusted clients. The per-account limit is the one a
  stranger could exhaust; it stops only untrusted clients, never a trusted
  device. A client is an IPv4 address or an IPv6 /64.

Failures count, successes do not; limits are fixed windows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.utils.crypto import salted_hmac

from balai.accounts import ratelimit

DEVICE_COOKIE_AGE = 180 * 24 * 3600
LIMIT_NAMES = ("device", "account_ip", "ip", "account")


@dataclass(frozen=True)
class Policy:
    """One guarded kind of sign-in: its rates, each overridable by a setting,
    and its device cookie."""

    name: str  # the rate-limit groups' prefix
    rates: dict[str, tuple[str, str]]  # limit name -> (settings name, default rate)
    cookie: str
    cookie_path: str
    salt: str

    def rate(self, limit: str) -> str:
        setting, default = self.rates[limit]
        return getattr(settings, setting, default)

    def tag(self, account: str) -> str:
        """The account as the cookie names it: a keyed hash (a NIK is personal data)."""
        return salted_hmac(self.salt, account).hexdigest()[:32]


WINDOW = "15m"
WINDOW_MINUTES = 15
LIMITS = {
    "device": 10,  # failures from one trusted device for its account
    "account_ip": 5,  # failures for one account from one client
    "ip": 30,  # failures from one client, any account
    "account": 20,  # failures for one account from all untrusted clients
}
DEVICE_COOKIE = "balai_device"
LOGIN = Policy(
    name="login",
    rates={
        name: (f"BALAI_LOGIN_{name.upper()}_RATE", f"{n}/{WINDOW}") for name, n in LIMITS.items()
    },
    cookie=DEVICE_COOKIE,
    cookie_path="/akun/",
    salt="balai.accounts.device-cookie",
)


def normalise(username: str) -> str:
    return username.strip().lower()


class Throttle:
    """The counters that apply to one attempt for `account` from `request`."""

    def __init__(self, policy: Policy, request, account: str, also: tuple = ()):
        self.policy = policy
        self.request = request
        self.account = account
        self.client = ratelimit.client_key(request)
        self.also = tuple(also)  # more (group, key, rate) checks read in the same query
        cookies = request.COOKIES if request is not None else {}
        self.nonce = self._cookie_nonce(cookies.get(policy.cookie))
        self._counts: dict[str, int] | None = None
        self._trusted: bool | None = None

    def _cookie_nonce(self, cookie: str | None) -> str | None:
        """The device nonce if the cookie was issued for this account."""
        if not cookie:
            return None
        try:
            data = signing.loads(cookie, salt=self.policy.salt, max_age=DEVICE_COOKIE_AGE)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or data.get("a") != self.policy.tag(self.account):
            return None
        return str(data.get("n", "")) or None

    def _checks(self) -> dict[str, ratelimit.Check]:
        values = {
            "device": self.nonce,
            "account_ip": f"{self.account}|{self.client}",
            "ip": self.client,
            "account": self.account,
        }
        return {
            name: (f"{self.policy.name}-{name}", value, self.policy.rate(name))
            for name, value in values.items()
            if value is not None
        }

    def _read(self) -> dict[str, int]:
        """Every counter of this attempt (and `also`), in one query, once."""
        if self._counts is None:
            checks = {**self._checks(), **{group: (group, k, r) for group, k, r in self.also}}
            counts = ratelimit.usage(*checks.values())
            self._counts = dict(zip(checks, counts, strict=True))
        return self._counts

    def _over(self, name: str) -> bool:
        return self._read()[name] >= ratelimit.parse(self._checks()[name][2])[0]

    @property
    def trusted(self) -> bool:
        """A device cookie for this account that has not used up its own failures
        (a locked device cookie counts as untrusted); decided once per attempt."""
        if self._trusted is None:
            self._trusted = self.nonce is not None and not self._over("device")
        return self._trusted

    def _limits(self) -> list[str]:
        return ["device"] if self.trusted else ["account_ip", "ip", "account"]

    def blocked(self) -> str | None:
        """The name of the limit this attempt is over (or the group of an `also`
        check that is used up), or None."""
        for name in self._limits():
            if self._over(name):
                return name
        counts = self._read()
        for group, _key, rate in self.also:
            if counts[group] >= ratelimit.parse(rate)[0]:
                return group
        return None

    def record_failure(self) -> None:
        checks = self._checks()
        for name in self._limits():
            ratelimit.count(*checks[name])
        self._counts = None

    def trust_device(self, response: HttpResponse) -> None:
        """After a success: this browser is a trusted device for this account."""
        value = signing.dumps(
            {"a": self.policy.tag(self.account), "n": secrets.token_urlsafe(12)},
            salt=self.policy.salt,
        )
        response.set_cookie(
            self.policy.cookie,
            value,
            max_age=DEVICE_COOKIE_AGE,
            path=self.policy.cookie_path,
            secure=self.request.is_secure(),
            httponly=True,
            samesite="Lax",
        )


class LoginThrottle(Throttle):
    """Staff signing in with a username and password."""

    def __init__(self, request, username: str):
        super().__init__(LOGIN, request, normalise(username))
