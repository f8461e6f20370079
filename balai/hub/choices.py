from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a service is in its life; residents see trial and live ones."""

    PLANNED = "planned", _("Direncanakan")
    TRIAL = "trial", _("Uji coba")
    LIVE = "live", _("Berjalan")
    RETIRED = "retired", _("Dihentikan")


PUBLIC_STATUSES = (Status.TRIAL, Status.LIVE)


class Source(models.TextChoices):
    """Where an entry comes from: kept by an agency, or generated from another app."""

    SERVICE = "service", _("Layanan OPD")
    LETTER = "letter", _("Surat desa")
    COMPLAINT = "complaint", _("Kategori aduan")


class Health(models.TextChoices):
    UNKNOWN = "unknown", _("Belum diperiksa")
    UP = "up", _("Berjalan normal")
    DOWN = "down", _("Sedang gangguan")
