"""Checking how a camera is reached: one set of rules for the form, the import and the API.

A URL must have the right scheme and a host, and must carry no secret:
credentials go in the encrypted fields, never in `user:pass@` or in a query
parameter such as `?token=` (those would be shown back, exported and logged).
"""

import re
from urllib.parse import SplitResult, parse_qsl, urlsplit

from django.utils.translation import gettext as _

MAX_URL = 500
SCHEMES = {
    "rtsp_url": ("rtsp", "rtsps"),
    "onvif_url": ("http", "https"),
    "snapshot_url": ("http", "https"),
    "hls_url": ("http", "https"),
}
URL_FIELDS = tuple(SCHEMES)
SECRET_PARAMS = re.compile(
    r"^(pass(word)?|pwd|passwd|token|access_token|auth|key|api_?key|secret|sig(nature)?"
    r"|private_?key|user(name)?|login)$",
    re.IGNORECASE,
)
PRIVATE_KEY = re.compile(r"-----BEGIN|PRIVATE KEY|%2D%2D%2D%2D%2DBEGIN", re.IGNORECASE)


def url_problem(field: str, value: str) -> str | None:
    """Why `value` cannot be stored in `field`, in Indonesian; None when it can."""
    if not value:
        return None
    if len(value) > MAX_URL:
        return _("URL terlalu panjang (maksimal %(n)s karakter).") % {"n": MAX_URL}
    if PRIVATE_KEY.search(value):
        return _("URL memuat kunci privat; kunci tidak boleh ada di URL.")
    if any(ch.isspace() for ch in value):
        return _("URL tidak boleh berisi spasi.")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return _("URL tidak valid.")
    allowed = SCHEMES[field]
    if parts.scheme.lower() not in allowed:
        return _("URL harus diawali %(schemes)s.") % {
            "schemes": " atau ".join(f"{s}://" for s in allowed)
        }
    if not parts.hostname:
        return _("URL tidak memuat nama host atau alamat IP.")
    return _credentials_problem(parts)


def _credentials_problem(parts: SplitResult) -> str | None:
    """Credentials belong in their encrypted fields, never in the URL itself."""
    if parts.username is not None or parts.password is not None:
        return _(
            "URL memuat nama pengguna/kata sandi; isikan di kolom kredensial agar tersimpan "
            "terenkripsi."
        )
    for name, _value in parse_qsl(parts.query, keep_blank_values=True):
        if SECRET_PARAMS.match(name):
            return _(
                "URL memuat parameter rahasia '%(name)s'; isikan kredensial di kolomnya sendiri."
            ) % {"name": name}
    return None


def redacted(value: str) -> str:
    """A refused URL as it may be shown back: no password, token or key in it."""
    if PRIVATE_KEY.search(value):
        return "***"
    try:
        parts = urlsplit(value)
        host = parts.netloc.rsplit("@", 1)[-1]
    except ValueError:
        return "***"
    userinfo = "***@" if "@" in parts.netloc else ""
    query = "&".join(
        f"{name}=***" if SECRET_PARAMS.match(name) else f"{name}={val}"
        for name, val in parse_qsl(parts.query, keep_blank_values=True)
    )
    return parts._replace(netloc=userinfo + host, query=query).geturl()
