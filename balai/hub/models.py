"""The catalogue of everything a resident can ask for, and its search index.

`Service` is one entry: an agency's service (kept by its staff), a village
letter type or a complaint category (both generated from their own apps'
models by `balai.hub.sync`, so there is one list). `SearchDocument` and
`IndexWord` are the search index (balai/hub/search.py), kept in step with
every save and delete by balai/hub/signals.py; the database's own full-text
machinery (FTS5 on SQLite, tsvector and pg_trgm on PostgreSQL) lives in the
migration 0002_search_index.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import is_active_staff
from balai.accounts.choices import Role
from balai.hub.choices import PUBLIC_STATUSES, Health, Source, Status

UPTIME_DAYS = 30


class Theme(models.Model):
    """A theme residents think in (kependudukan, sosial, jalan...), across agencies."""

    slug = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tema layanan")
        verbose_name_plural = _("tema layanan")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hub:theme", args=[self.slug])


class ServiceQuerySet(models.QuerySet):
    def for_user(self, user):
        """The entries `user` may edit: the regency admin all, agency staff their agency's."""
        if not is_active_staff(user):
            return self.none()
        if user.role == Role.REGENCY_ADMIN:
            return self.all()
        if user.role == Role.AGENCY_STAFF and user.agency_id:
            return self.filter(agency_id=user.agency_id)
        return self.none()

    def public(self):
        """What residents see: entries on trial or live."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def editable(self):
        """Entries kept in the catalogue itself (the generated ones are edited at their source)."""
        return self.filter(source=Source.SERVICE)


class Service(models.Model):
    slug = models.SlugField(_("kode"), max_length=80, unique=True)
    source = models.CharField(
        _("asal"), max_length=12, choices=Source.choices, default=Source.SERVICE
    )
    # The code of the letter type or complaint category an entry was generated from.
    source_code = models.CharField(max_length=40, blank=True, editable=False)
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(
        _("penjelasan"), max_length=2000, help_text=_("Dengan bahasa sehari-hari.")
    )
    audience = models.CharField(_("untuk siapa"), max_length=300, blank=True)
    requirements = models.TextField(
        _("persyaratan"), max_length=2000, blank=True, help_text=_("Satu syarat per baris.")
    )
    cost = models.CharField(_("biaya"), max_length=120, default="Gratis")
    duration_days = models.PositiveSmallIntegerField(
        _("lama proses (hari kerja)"), null=True, blank=True
    )
    online_url = models.URLField(_("tautan layanan daring"), blank=True)
    office_address = models.CharField(_("alamat kantor"), max_length=300, blank=True)
    office_hours = models.CharField(_("jam layanan"), max_length=200, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    app_url = models.URLField(_("tautan aplikasi"), blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("OPD pemilik"),
        help_text=_("Kosong: dilayani pemerintah desa/kelurahan."),
    )
    contact = models.CharField(_("narahubung"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="services", verbose_name=_("tema")
    )
    tags = models.CharField(
        _("kata kunci"),
        max_length=300,
        blank=True,
        help_text=_("Dipisah koma; kata yang dipakai warga, mis. e-KTP, bikin KTP."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.LIVE
    )
    health_url = models.URLField(
        _("alamat pemeriksaan"),
        blank=True,
        help_text=_("Diperiksa berkala; kosongkan bila layanan tidak punya alamat daring."),
    )
    health = models.CharField(
        _("kondisi"), max_length=12, choices=Health.choices, default=Health.UNKNOWN
    )
    health_since = models.DateTimeField(_("sejak"), null=True, blank=True)
    health_checked_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True)
    health_detail = models.CharField(max_length=300, blank=True)
    # What the probes have seen lately and not yet agreed on (balai.lib.damping).
    pending_health = models.CharField(max_length=12, choices=Health.choices, blank=True)
    pending_count = models.PositiveSmallIntegerField(default=0)
    pending_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_code"],
                condition=~models.Q(source="service"),
                name="hub_service_one_entry_per_source",
            )
        ]
        indexes = [models.Index(fields=["status", "agency"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hub:service", args=[self.slug])

    @property
    def is_generated(self) -> bool:
        return self.source != Source.SERVICE

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.requirements.splitlines() if line.strip()]

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def is_down(self) -> bool:
        return bool(self.health_url) and self.health == Health.DOWN

    def uptime(self, days: int = UPTIME_DAYS, now=None) -> float | None:
        """Share of the last `days` days the service answered, from its status changes."""
        now = now or timezone.now()
        start = now - dt.timedelta(days=days)
        changes = list(self.health_changes.filter(at__gte=start).order_by("at"))
        before = self.health_changes.filter(at__lt=start).order_by("-at").first()
        state, since = (before.health, start) if before else (None, None)
        up = seen = 0.0
        for change in changes:
            if state is not None and since is not None:
                span = (change.at - since).total_seconds()
                seen += span
                up += span if state == Health.UP else 0
            state, since = change.health, change.at
        if state is not None and since is not None:
            span = (now - since).total_seconds()
            seen += span
            up += span if state == Health.UP else 0
        return None if seen <= 0 else up / seen


class HealthChange(models.Model):
    """One change of a service's health: its history and its uptime, never one row per probe."""

    service = models.ForeignKey(Service, models.CASCADE, related_name="health_changes")
    at = models.DateTimeField()
    health = models.CharField(max_length=12, choices=Health.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["service", "at"])]
        verbose_name = _("perubahan kondisi layanan")
        verbose_name_plural = _("perubahan kondisi layanan")

    def __str__(self) -> str:
        return f"{self.service_id} {self.health} {self.at:%Y-%m-%d %H:%M}"


class Synonym(models.Model):
    """Words residents use for the same thing: a query with one finds the others.

    Phrases of one `group` are equivalent (ktp, e-ktp, kartu tanda penduduk).
    The regency's starting vocabulary is balai/hub/vocabulary.py; the regency
    admin adds more in the admin."""

    group = models.SlugField(_("kelompok"), max_length=40)
    phrase = models.CharField(_("kata/frasa"), max_length=80, unique=True)

    class Meta:
        ordering = ["group", "phrase"]
        verbose_name = _("sinonim")
        verbose_name_plural = _("sinonim")

    def __str__(self) -> str:
        return f"{self.group}: {self.phrase}"


class SearchDocument(models.Model):
    """A service's text as the search engine indexes it: lower case, stemmed.

    On SQLite an FTS5 table with this as its external content (triggers keep
    it in step); on PostgreSQL a generated, weighted tsvector column with a
    GIN index (migration 0002)."""

    service = models.OneToOneField(
        Service, models.CASCADE, primary_key=True, related_name="search_document"
    )
    name = models.TextField()
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class IndexWord(models.Model):
    """Every word of the index and of the synonyms as written: the vocabulary a
    misspelt query word is corrected to, by trigram similarity in the database."""

    word = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.word
