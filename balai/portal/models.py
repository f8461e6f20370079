"""A village's public face: its profile, announcements, host names and embedding origins."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import VillageScopedQuerySet
from balai.accounts.choices import VILLAGE_ROLES, Role
from balai.lib import phones

# A village's public face is edited by its own staff; host names by the regency admin.
EDITORS = tuple(VILLAGE_ROLES)
HOST_MAPPERS = (Role.REGENCY_ADMIN,)


class EditorsQuerySet(VillageScopedQuerySet):
    readers = EDITORS


class HostQuerySet(VillageScopedQuerySet):
    readers = HOST_MAPPERS


def public_token() -> str:
    return secrets.token_urlsafe(12)


def announcement_image_path(instance, filename: str) -> str:
    return f"portal/{instance.village_id}/{filename}"


class VillageProfile(models.Model):
    """What the public reads about a village on its page; one per village."""

    village = models.OneToOneField(
        "regions.Village", models.CASCADE, related_name="profile", verbose_name=_("desa/kelurahan")
    )
    head_name = models.CharField(_("nama kepala desa/lurah"), max_length=120, blank=True)
    address = models.CharField(_("alamat kantor"), max_length=250, blank=True)
    office_hours = models.CharField(
        _("jam pelayanan"),
        max_length=200,
        blank=True,
        help_text=_("Contoh: Senin-Kamis 08.00-15.00, Jumat 08.00-11.00"),
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(
        _("WhatsApp"), max_length=30, blank=True, help_text=_("Contoh: 0812 3456 7890")
    )
    email = models.EmailField(_("email"), blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    about = models.TextField(
        _("tentang desa"),
        max_length=3000,
        blank=True,
        help_text=_("Teks biasa; alamat web (https://...) otomatis menjadi tautan."),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = EditorsQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil desa")
        verbose_name_plural = _("profil desa")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="portal_profile_map_point_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.village)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))

    @property
    def whatsapp_link(self) -> str:
        """A wa.me link for the WhatsApp number (stored as 628..., balai/lib/phones.py;
        numbers typed before that are read the same way)."""
        digits = phones.normalise_or_none(self.whatsapp)
        return f"https://wa.me/{digits}" if digits else ""

    @property
    def map_link(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=17/{self.latitude}/{self.longitude}"
        )


class AnnouncementQuerySet(EditorsQuerySet):
    def current(self, now=None):
        """Published and not yet expired: what the public sees now."""
        now = now or timezone.now()
        return self.filter(publish_at__lte=now).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class Announcement(models.Model):
    """A village's notice to the public: plain text with links, an optional photo."""

    village = models.ForeignKey(
        "regions.Village",
        models.CASCADE,
        related_name="announcements",
        verbose_name=_("desa/kelurahan"),
    )
    token = models.CharField(max_length=20, unique=True, default=public_token, editable=False)
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(
        _("isi"),
        max_length=5000,
        help_text=_("Teks biasa; alamat web (https://...) otomatis menjadi tautan."),
    )
    image = models.FileField(_("foto"), upload_to=announcement_image_path, blank=True)
    publish_at = models.DateTimeField(_("tayang mulai"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("tayang sampai"), null=True, blank=True, help_text=_("Kosongkan bila tidak berakhir.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        indexes = [models.Index(fields=["village", "-publish_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.expires_at and self.publish_at and self.expires_at <= self.publish_at:
            raise ValidationError(
                {"expires_at": _("Tanggal berakhir harus sesudah tanggal mulai tayang.")}
            )

    def is_current(self, now=None) -> bool:
        now = now or timezone.now()
        return self.publish_at <= now and (self.expires_at is None or self.expires_at > now)


def normalise_host(value: str) -> str:
    return (value or "").strip().lower().rstrip(".")


class VillageHost(models.Model):
    """A host name (e.g. sumberjati.lumajangkab.go.id) that serves a village's page as home."""

    host = models.CharField(_("nama host"), max_length=253, unique=True)
    village = models.ForeignKey(
        "regions.Village", models.CASCADE, related_name="hosts", verbose_name=_("desa/kelurahan")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = HostQuerySet.as_manager()

    class Meta:
        ordering = ["host"]
        verbose_name = _("nama host desa")
        verbose_name_plural = _("nama host desa")

    def __str__(self) -> str:
        return self.host


def normalise_origin(value: str) -> str | None:
    """`scheme://host[:port]` in lower case, or None when `value` is not a web origin."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.username or parts.password or parts.query or parts.fragment:
        return None
    if parts.path not in ("", "/"):
        return None
    host = parts.hostname.lower()
    if not all(ch.isalnum() or ch in ".-" for ch in host):
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


class EmbedOrigin(models.Model):
    """A web site (origin) allowed to frame the village's widget."""

    village = models.ForeignKey(
        "regions.Village",
        models.CASCADE,
        related_name="embed_origins",
        verbose_name=_("desa/kelurahan"),
    )
    token = models.CharField(max_length=20, unique=True, default=public_token, editable=False)
    origin = models.CharField(_("alamat situs"), max_length=300)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = EditorsQuerySet.as_manager()

    class Meta:
        ordering = ["origin"]
        verbose_name = _("situs penyemat")
        verbose_name_plural = _("situs penyemat")
        constraints = [
            models.UniqueConstraint(fields=["village", "origin"], name="portal_origin_once")
        ]

    def __str__(self) -> str:
        return self.origin
