from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldKind(models.TextChoices):
    TEXT = "text", _("Teks")
    NUMBER = "number", _("Angka")
    DATE = "date", _("Tanggal")
    CHOICE = "choice", _("Pilihan")


class RequestStatus(models.TextChoices):
    """OpenSID's states, named for what the resident is waiting for."""

    SUBMITTED = "submitted", _("Menunggu verifikasi")
    RETURNED = "returned", _("Perlu perbaikan")
    AWAITING_CHECK = "awaiting_check", _("Menunggu pemeriksaan sekretaris")
    AWAITING_SIGNATURE = "awaiting_signature", _("Menunggu tanda tangan")
    READY = "ready", _("Siap diambil")
    COLLECTED = "collected", _("Sudah diambil")
    REJECTED = "rejected", _("Ditolak")


OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.AWAITING_CHECK,
    RequestStatus.AWAITING_SIGNATURE,
)
FINISHED_STATUSES = (RequestStatus.READY, RequestStatus.COLLECTED, RequestStatus.REJECTED)


class Step(models.TextChoices):
    """What happened to a request; every step records who and when."""

    SUBMITTED = "submitted", _("Diajukan")
    RESUBMITTED = "resubmitted", _("Diajukan ulang setelah perbaikan")
    VERIFIED = "verified", _("Diverifikasi operator")
    CHECKED = "checked", _("Diperiksa sekretaris")
    SIGNED = "signed", _("Ditandatangani")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    REJECTED = "rejected", _("Ditolak")
    COLLECTED = "collected", _("Diambil")
    REVOKED = "revoked", _("Surat dicabut")
    DOWNLOADED = "downloaded", _("Diunduh pemohon")


class Paper(models.TextChoices):
    A4 = "A4", "A4"
    F4 = "F4", _("F4 (folio)")
