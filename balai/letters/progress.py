"""What a resident is told about a request's progress, on the tracking page and
in the API alike: the next step in words, and whether the letter may be
downloaded."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from balai.letters.choices import RequestStatus

DOWNLOADABLE = (RequestStatus.READY, RequestStatus.COLLECTED)


def next_step(
    status: str,
    *,
    village: str,
    due_at: dt.datetime | None,
    return_reason: str,
    reject_reason: str,
    collected_at: dt.datetime | None,
) -> str:
    """What happens next, in words for the resident (`village`: "Desa X")."""
    if status == RequestStatus.SUBMITTED:
        text = _("Petugas desa akan memeriksa data dan dokumen Anda.")
        if due_at:
            due = date_format(localtime(due_at), "j F Y")
            text += " " + _("Target selesai: %(due)s.") % {"due": due}
        return text
    if status == RequestStatus.AWAITING_CHECK:
        return _("Data sudah diverifikasi; sekretaris desa sedang memeriksa surat.")
    if status == RequestStatus.AWAITING_SIGNATURE:
        return _("Surat sedang menunggu tanda tangan kepala desa.")
    if status == RequestStatus.RETURNED:
        return _("Permohonan perlu diperbaiki: %(reason)s") % {"reason": return_reason}
    if status == RequestStatus.READY:
        return _(
            "Surat sudah ditandatangani dan siap diambil di kantor %(village)s. Bawa KTP-el Anda."
        ) % {"village": village}
    if status == RequestStatus.COLLECTED:
        if collected_at is None:
            return _("Surat sudah diambil.")
        when = date_format(localtime(collected_at), "j F Y")
        return _("Surat sudah diambil pada %(when)s.") % {"when": when}
    return _(
        "Permohonan ditolak: %(reason)s. Anda dapat mengajukan permohonan baru atau "
        "menghubungi kantor desa."
    ) % {"reason": reject_reason}


def may_download(status: str, *, has_letter: bool, revoked: bool, allowed: bool) -> bool:
    """The signed PDF is offered to its resident when the village allows
    downloads and the letter is issued, not revoked, and ready or collected."""
    return has_letter and not revoked and allowed and status in DOWNLOADABLE
