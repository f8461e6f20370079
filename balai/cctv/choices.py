from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Why a camera watches; UU PDP Art. 17 allows these in public places."""

    SECURITY = "keamanan", _("Keamanan")
    TRAFFIC = "lalu_lintas", _("Lalu lintas")
    DISASTER = "bencana", _("Bencana (Semeru, banjir, longsor)")
    ENVIRONMENT = "lingkungan", _("Lingkungan")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publik")
    STAFF = "staff", _("Hanya staf")


class State(models.TextChoices):
    UNKNOWN = "unknown", _("Belum diperiksa")
    UP = "up", _("Aktif")
    DEGRADED = "degraded", _("Terganggu")
    DOWN = "down", _("Mati")
    SITE_DOWN = "site_down", _("Tak terjangkau (situs mati)")


# States that count as "down" in rollups and alerts.
DOWN_STATES = {State.DOWN, State.SITE_DOWN}


class EventKind(models.TextChoices):
    """A camera's state changes; the names are the webhook event types."""

    DOWN = "camera.down", _("Mati")
    UP = "camera.up", _("Aktif kembali")
    DEGRADED = "camera.degraded", _("Terganggu")


class OutageKind(models.TextChoices):
    DOWN = "down", _("Mati")
    FROZEN = "frozen", _("Gambar membeku")
    SITE = "site", _("Situs mati")


class Period(models.TextChoices):
    HOUR = "hour", _("Jam")
    DAY = "day", _("Hari")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")
