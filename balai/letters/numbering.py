"""Letter number formats: `{klasifikasi}/{nomor:03}/{kode_desa}/{tahun}` and friends.

A format is checked when saved (known keys only, `{nomor}` required) and
filled by a regex over a fixed dictionary, like the body placeholders: never
`str.format`, which would let a format reach attributes.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

DEFAULT_FORMAT = "{klasifikasi}/{nomor:03}/{kode_desa}/{tahun}"
TOKEN = re.compile(r"\{([a-z_]+)(?::0?([1-9]))?\}")
KEYS = {
    "klasifikasi": "470",
    "nomor": "12",
    "kode_desa": "35.08.01.2001",
    "kode_surat": "SKD",
    "tahun": "2026",
    "bulan": "11",
    "bulan_romawi": "XI",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_problems(fmt: str) -> list[str]:
    found = []
    keys = [m.group(1) for m in TOKEN.finditer(fmt)]
    for key in keys:
        if key not in KEYS:
            found.append(_("Kunci {%(k)s} tidak dikenal.") % {"k": key})
    if "nomor" not in keys:
        found.append(_("Format harus memuat {nomor}."))
    rest = TOKEN.sub("", fmt)
    if "{" in rest or "}" in rest:
        found.append(_("Ada kurung kurawal yang tidak membentuk kunci yang sah."))
    if len(fmt) > 80:
        found.append(_("Format terlalu panjang (maksimal 80 karakter)."))
    return found


def format_number(
    fmt: str,
    *,
    nomor: int,
    klasifikasi: str,
    kode_desa: str,
    kode_surat: str,
    tahun: int,
    bulan: int,
) -> str:
    values = {
        "klasifikasi": klasifikasi,
        "nomor": nomor,
        "kode_desa": kode_desa,
        "kode_surat": kode_surat,
        "tahun": tahun,
        "bulan": f"{bulan:02d}",
        "bulan_romawi": ROMAN[bulan - 1],
    }

    def substitute(match: re.Match) -> str:
        value = values[match.group(1)]
        width = match.group(2)
        if width and isinstance(value, int):
            return str(value).zfill(int(width))
        return str(value)

    return TOKEN.sub(substitute, fmt)


def example(fmt: str) -> str:
    return format_number(
        fmt,
        nomor=12,
        klasifikasi="470",
        kode_desa="35.08.01.2001",
        kode_surat="SKD",
        tahun=2026,
        bulan=11,
    )
