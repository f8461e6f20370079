from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import Unit


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFIED = "verified", _("Terverifikasi")
    DISPATCHED = "dispatched", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    RESOLVED = "resolved", _("Selesai ditangani")
    CLOSED = "closed", _("Ditutup")
    REJECTED = "rejected", _("Ditolak")


# States where the unit's clocks stop: waiting for the reporter (resolved) or
# finished (closed, rejected). Every other state runs the clock.
PAUSED = {Status.RESOLVED, Status.CLOSED, Status.REJECTED}
FINAL = {Status.CLOSED, Status.REJECTED}
OPEN = [s for s in Status if s not in FINAL and s != Status.RESOLVED]
# Open311 knows only open and closed.
OPEN311_CLOSED = {Status.RESOLVED, Status.CLOSED, Status.REJECTED}


class RejectReason(models.TextChoices):
    NOT_COMPLAINT = "not_complaint", _("Bukan aduan")
    DUPLICATE = "duplicate", _("Duplikat aduan lain")
    NOT_AUTHORITY = "not_authority", _("Bukan kewenangan pemerintah kabupaten")


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Publik")
    ANONYMOUS = "anonymous", _("Anonim (publik, identitas disembunyikan)")
    CONFIDENTIAL = "confidential", _("Rahasia (tidak dipublikasikan)")


# A report is with a unit staff work in; what a unit is belongs to accounts.access.
UnitKind = Unit


class EventKind(models.TextChoices):
    STATUS = "status", _("Perubahan status")
    DISPATCH = "dispatch", _("Disposisi")
    RESPONSE = "response", _("Tanggapan")
    NOTE = "note", _("Catatan internal")
    ASSIGN = "assign", _("Penugasan")
    ESCALATION = "escalation", _("Eskalasi")
    REPORTER = "reporter", _("Tambahan dari pelapor")
    RATING = "rating", _("Penilaian pelapor")


class Clock(models.TextChoices):
    VERIFY = "verify", _("Verifikasi")
    RESPONSE = "response", _("Tanggapan pertama")
    RESOLUTION = "resolution", _("Penyelesaian")


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Foto laporan")
    RESOLUTION = "resolution", _("Foto hasil penanganan")
    FOLLOW_UP = "follow_up", _("Foto tambahan dari pelapor")
