"""Indonesia's regions, keyed by their Kemendagri codes.

Codes are the primary keys: they are public, stable and what every other
system (NIK, OpenSID, Dukcapil) uses to name a place.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from balai.regions.codes import village_kind


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, models.PROTECT, related_name="regencies")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        return self.name


class DistrictQuerySet(models.QuerySet):
    def in_regency(self):
        return self.filter(regency_id=settings.BALAI_REGENCY)


class District(models.Model):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, models.PROTECT, related_name="districts")
    name = models.CharField(_("nama"), max_length=100)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class VillageQuerySet(models.QuerySet):
    def in_regency(self):
        """Villages of this deployment's regency."""
        return self.filter(district__regency_id=settings.BALAI_REGENCY)

    def active(self):
        """Villages of this regency that are onboarded: the only ones the public sees."""
        return self.in_regency().filter(is_active=True)


class Village(models.Model):
    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    district = models.ForeignKey(District, models.PROTECT, related_name="villages")
    name = models.CharField(_("nama"), max_length=100)
    is_active = models.BooleanField(_("sudah bergabung"), default=False)
    activated_at = models.DateTimeField(_("bergabung sejak"), null=True, blank=True)

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        indexes = [models.Index(fields=["is_active", "district"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def kind(self) -> str:
        return village_kind(self.code)

    def get_kind_display(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def regency_id(self) -> str:
        return self.code[:5]


class LocalHoliday(models.Model):
    """A day off the regency gives on top of national holidays (balai.lib.workdays)."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


def local_holidays() -> dict:
    """The regency's own days off by date: what balai.lib.workdays reads (RegionsConfig)."""
    return dict(LocalHoliday.objects.values_list("date", "name"))


@receiver([post_save, post_delete], sender=LocalHoliday)
def _local_holidays_changed(**kwargs):
    from balai.lib.workdays import clear_local_cache

    clear_local_cache()


class BoundaryQuerySet(models.QuerySet):
    def villages_of(self, code: str):
        """The village outlines inside a regency or district code (or the one village)."""
        return self.filter(level=Boundary.Level.VILLAGE, code__startswith=code)

    def districts_of(self, code: str):
        """The district outlines inside a regency code (or the one district)."""
        return self.filter(level=Boundary.Level.DISTRICT, code__startswith=code[:8])


class Boundary(models.Model):
    """A region's outline, loaded from a GeoJSON file (`balai load-boundaries`).

    `geometry` (GeoJSON, [longitude, latitude]) answers which village a point lies
    in (balai.regions.geo); `path` is the same outline projected once, at load
    time, into the map's units (balai.regions.maps), so drawing a map reads text.
    """

    class Level(models.TextChoices):
        REGENCY = "regency", _("kabupaten/kota")
        DISTRICT = "district", _("kecamatan")
        VILLAGE = "village", _("desa/kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    level = models.CharField(_("tingkat"), max_length=8, choices=Level.choices)
    name = models.CharField(_("nama"), max_length=100)
    geometry = models.JSONField(_("geometri"))
    path = models.TextField(_("jalur SVG"))
    # The path's box in map units: a map's viewBox is the union of its regions' boxes.
    min_x = models.IntegerField()
    min_y = models.IntegerField()
    max_x = models.IntegerField()
    max_y = models.IntegerField()
    loaded_at = models.DateTimeField(_("dimuat"), auto_now=True)

    objects = BoundaryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("batas wilayah")
        verbose_name_plural = _("batas wilayah")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
