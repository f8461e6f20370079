"""The letter document: letterhead, signer lines, number, the letter's values
and body, assembled from a request for rendering (balai.letters.rendering).

Nothing here changes state; the workflow (balai.letters.actions) numbers,
signs and stores what this assembles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from balai.accounts.choices import Role
from balai.letters import placeholders
from balai.letters.models import Letter, LetterRequest, LetterSettings, VillageLetterSettings


def _head_position(village) -> str:
    if village.kind == "kelurahan":
        return f"LURAH {village.name.upper()}"
    return f"KEPALA DESA {village.name.upper()}"


def signer_position(user, village) -> str:
    """The signer's own position, printed above their name."""
    if user.role == Role.VILLAGE_SECRETARY:
        return "SEKRETARIS KELURAHAN" if village.kind == "kelurahan" else "SEKRETARIS DESA"
    return _head_position(village)


def signer_authority(user, village) -> str:
    """The line above the position: "a.n. KEPALA DESA X" when the secretary signs for
    the head (Permendagri 1/2023), "" when the head signs. u.b. is not supported."""
    if user.role == Role.VILLAGE_SECRETARY:
        return f"a.n. {_head_position(village)}"
    return ""


# The village's public profile (head's name, office address) belongs to a higher
# layer (portal), which hands its reader over in PortalConfig.ready().
_profile_reader: list[Callable[[str], tuple[str, str]]] = []


def read_village_profile_from(reader: Callable[[str], tuple[str, str]]) -> None:
    """`reader(village code)` gives (head's name, office address), either may be ""."""
    _profile_reader[:] = [reader]


def village_profile(village) -> tuple[str, str]:
    """(head's name, office address) from the village profile, ("", "") without one."""
    if not _profile_reader:
        return "", ""
    head, address = _profile_reader[0](village.pk)
    return (head or "").strip(), (address or "").strip()


def signer_name(user, village=None) -> str:
    """The name printed under the signature, upper-case; "" when nobody is named.

    The head signs with the name in the village profile, else the account's full
    name; the secretary (a.n.) with their own full name. Never the user name:
    a letter signed "KADES01" is no letter.
    """
    name = ""
    if village is not None and user.role == Role.VILLAGE_HEAD:
        name = village_profile(village)[0]
    return (name or user.get_full_name()).strip().upper()


def sentence_case(text: str) -> str:
    """A purpose as a sentence fragment: "MELAMAR KERJA." -> "Melamar kerja".

    Text typed all in capitals is lowered; the first letter is capital, spaces are
    single and a closing full stop goes (the letter adds its own).
    """
    text = " ".join((text or "").split()).rstrip(" .")
    if text.isupper():
        text = text.lower()
    return text[:1].upper() + text[1:]


def purpose_in_sentence(text: str) -> str:
    """The purpose as it reads after "untuk keperluan": sentence case, but a first word
    that is not an acronym starts lower-case ("untuk keperluan melamar kerja")."""
    text = sentence_case(text)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[:1].lower() + text[1:]
    return text


def letter_values(req: LetterRequest, *, signer: str, issued: dt.date, valid_until) -> dict:
    values = placeholders.resident_values(req.resident)
    values.update(placeholders.place_values(req.village, signer))
    values["keperluan"] = purpose_in_sentence(req.purpose)
    values["surat.tanggal"] = placeholders.date_id(issued)
    values["surat.berlaku_sampai"] = placeholders.date_id(valid_until) if valid_until else "-"
    for (_label, value), field in zip(req.value_rows(), req.letter_type.extra_fields, strict=True):
        values[placeholders.EXTRA_PREFIX + field["name"]] = value
    return values


def letterhead(village, options: VillageLetterSettings):
    from balai.letters.rendering import Letterhead
    from balai.regions.codes import regency_names

    regency = regency_names().get(village.regency_id, "")
    kind = "KELURAHAN" if village.kind == "kelurahan" else "DESA"
    return Letterhead(
        regency=f"PEMERINTAH {regency.upper()}",
        district=f"KECAMATAN {village.district.name.upper()}",
        village=f"{kind} {village.name.upper()}",
        address=village_profile(village)[1] or options.address,
        logo_png=regency_logo(),
    )


_logo: dict = {}


def regency_logo() -> bytes | None:
    """The regency's logo for the letterhead: the one uploaded in the regency's letter
    settings, else `<data dir>/letters/logo.png` when present (each read again only
    when it changes)."""
    stored = LetterSettings.current().logo
    if stored:
        if _logo.get("stamp") != stored.name:
            with stored.open("rb") as file:
                _logo.update(stamp=stored.name, data=file.read())
        return _logo["data"]
    path = settings.DATA_DIR / "letters" / "logo.png"
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if _logo.get("stamp") != stamp:
        _logo.update(stamp=stamp, data=path.read_bytes())
    return _logo["data"]


def letter_data(
    req: LetterRequest,
    *,
    options: VillageLetterSettings,
    regency_settings: LetterSettings,
    number: str,
    signer: str,
    position: str,
    authority: str = "",
    issued: dt.date,
    valid_until,
    url: str,
):
    from balai.letters.rendering import LetterData

    values = letter_values(req, signer=signer, issued=issued, valid_until=valid_until)
    body = [placeholders.fill(p, values) for p in placeholders.paragraphs(req.letter_type.body)]
    fields = [
        ("Nama", values["penduduk.nama"]),
        ("NIK", values["penduduk.nik"]),
        ("Tempat, Tanggal Lahir", values["penduduk.tempat_tanggal_lahir"]),
        ("Jenis Kelamin", values["penduduk.jenis_kelamin"]),
        ("Agama", values["penduduk.agama"]),
        ("Pekerjaan", values["penduduk.pekerjaan"]),
        ("Status Perkawinan", values["penduduk.status_perkawinan"]),
        ("Alamat", values["penduduk.alamat"]),
        *req.value_rows(),
        ("Keperluan", sentence_case(req.purpose)),
    ]
    return LetterData(
        letterhead=letterhead(req.village, options),
        title=req.letter_type.title.upper(),
        number=number,
        body=body,
        fields=fields,
        place=req.village.name,
        date=issued,
        signer_name=signer,
        signer_position=position,
        signer_authority=(authority,) if authority else (),
        verification_url=url,
        paper=regency_settings.paper,
        attachments=attachments(req),
    )


def attachments(req: LetterRequest) -> tuple[str, ...]:
    """The documents the resident gave, by label, in the type's order: what the letter
    may say it rests on (a requirement nobody uploaded is never claimed)."""
    given = {d.key: d.label for d in req.documents.all()}
    ordered = [r["key"] for r in req.letter_type.uploads if r.get("key") in given]
    ordered += sorted(k for k in given if k not in ordered)
    return tuple(given[k] for k in ordered)


def format_letter_number(req, sequence: int, issued: dt.date, regency_settings) -> str:
    from balai.letters.numbering import format_number

    fmt = req.letter_type.number_format or regency_settings.number_format
    return format_number(
        fmt,
        nomor=sequence,
        klasifikasi=req.letter_type.classification,
        kode_desa=req.village.code,
        kode_surat=req.letter_type.short_code or req.letter_type.code.upper(),
        tahun=issued.year,
        bulan=issued.month,
    )


def new_letter(
    req: LetterRequest, user, sequence: int, now: dt.datetime, regency_settings: LetterSettings
) -> Letter:
    """The letter row (unsaved) that `user` signs for `req` with number `sequence`."""
    issued = timezone.localdate(now)  # the regency's local date: numbers restart by it
    days = req.letter_type.validity_days
    return Letter(
        request=req,
        village=req.village,
        letter_type=req.letter_type,
        number=format_letter_number(req, sequence, issued, regency_settings),
        year=issued.year,
        sequence=sequence,
        issued_at=now,
        signed_by=user,
        signer_name=signer_name(user, req.village),
        signer_position=signer_position(user, req.village),
        signer_authority=signer_authority(user, req.village),
        resident_name=req.resident.name.upper(),
        valid_until=issued + dt.timedelta(days=days) if days else None,
    )


def draft_pdf(req: LetterRequest, user, regency_settings: LetterSettings | None = None) -> bytes:
    """The letter exactly as `user` would sign it now, unsigned, unnumbered and marked
    PRATINJAU across the page: what the head reads before signing."""
    from balai.letters.rendering import DRAFT_MARK, render_letter

    regency_settings = regency_settings or LetterSettings.current()
    now = timezone.now()
    letter = new_letter(req, user, 0, now, regency_settings)
    data = letter_data(
        req,
        options=VillageLetterSettings.for_village(req.village),
        regency_settings=regency_settings,
        number="",
        signer=letter.signer_name or "-",
        position=letter.signer_position,
        authority=letter.signer_authority,
        issued=timezone.localdate(now),
        valid_until=letter.valid_until,
        url="",
    )
    return render_letter(data, preview=True, watermark=DRAFT_MARK)
