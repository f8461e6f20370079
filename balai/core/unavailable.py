"""What the site answers when what it stands on is away (docs/faults.md).

The database unreachable (stopped, restarting, refusing connections): a 503
with Retry-After. The media disk full: a 507. Either as a styled page in the
visitor's language, or from the API as an RFC 9457 problem document. The page
is rendered without the request's context processors, which would read the
database, and says whether a form that was sent has been kept (it has not:
its transaction rolled back), so nobody leaves believing it was.

Called by the 500 handler (an error anywhere in the middleware or a view) and
by the API's exception handlers.
"""

from __future__ import annotations

import errno

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


def cause(exc: BaseException | None) -> str:
    """ "database", "storage" or "" for an error that is a bug rather than an outage."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return "database"
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            return "storage"
        exc = exc.__cause__ or exc.__context__
    return ""


def _texts(kind: str, sent: bool) -> tuple[str, str, str]:
    if kind == "database":
        title = _("Basis data sedang tidak dapat dihubungi")
        detail = _(
            "Balai tidak dapat membaca atau menyimpan data saat ini: basis data sedang "
            "tidak dapat dihubungi (biasanya karena dimulai ulang). Permohonan surat, "
            "aduan, pelacakan dan halaman staf belum dapat dilayani. Coba lagi dalam "
            "satu menit."
        )
    else:
        title = _("Ruang penyimpanan berkas penuh")
        detail = _(
            "Balai tidak dapat menyimpan berkas (lampiran, surat, impor) karena ruang "
            "penyimpanan server penuh. Halaman yang hanya dibaca tetap dapat dibuka; "
            "pengelola server sudah perlu mengosongkan ruang."
        )
    kept = ""
    if sent:
        kept = _(
            "Kiriman Anda belum tersimpan: tidak ada yang berubah. Kirim ulang formulir "
            "ini setelah layanan pulih."
        )
    return title, detail, kept


def unavailable_response(request, exc: BaseException | None) -> HttpResponse | None:
    """The answer for an outage, or None when `exc` is not one."""
    kind = cause(exc)
    if not kind:
        return None
    status = 503 if kind == "database" else 507
    sent = request.method not in ("GET", "HEAD", "OPTIONS")
    with translation.override(translation.get_language_from_request(request)):
        title, detail, kept = _texts(kind, sent)
        if request.path.startswith("/api/"):
            body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
            if kept:
                body["detail"] = f"{detail} {kept}"
            response: HttpResponse = JsonResponse(
                body, status=status, content_type="application/problem+json"
            )
        else:
            context = {"title": title, "detail": detail, "kept": kept}
            page = render_to_string("unavailable.html", context)
            response = HttpResponse(page, status=status)
    if kind == "database":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
