"""Families (keluarga) and residents (penduduk) of the regency's villages.

A NIK is unique across the regency; so is a no. KK. Each row carries its
village (denormalised on residents) so `for_user` scopes with one filter.
Public pages name residents and families by random UUIDs, never by NIK/KK.
"""

import os
import time
import uuid
from functools import lru_cache

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import VillageScopedQuerySet
from balai.residents import names
from balai.residents.choices import (
    BloodType,
    Citizenship,
    Education,
    EventKind,
    ImportStatus,
    MaritalStatus,
    Occupation,
    Relationship,
    Religion,
    Sex,
    Status,
)
from balai.residents.nik import mask, validate_kk, validate_nik
from balai.residents.roles import READERS, WRITERS


def new_uuid() -> uuid.UUID:
    """A random UUID whose first 48 bits are the time in ms (the layout of UUIDv7).

    Still unguessable (74 random bits), but rows made together get neighbouring
    keys, so a bulk import appends to the unique index instead of touching
    pages all over it.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & (2**48 - 1)) << 80 | rand & ((1 << 80) - 1)
    value = value & ~(0xF << 76) | (0x7 << 76)  # version 7
    value = value & ~(0x3 << 62) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


def prefix_q(field: str, prefix: str) -> Q:
    """Rows whose `field` starts with `prefix`, through its plain B-tree index on either database.

    A range on the key uses the same index that sorts the list. PostgreSQL may
    compare with a language collation (spaces ignored), so there the exact
    LIKE filter is added to the range that narrows the rows.
    """
    low, high = names.prefix_range(prefix)
    q = Q(**{f"{field}__gte": low, f"{field}__lt": high})
    if connection.vendor == "postgresql" and not _byte_order_collation(
        connection.settings_dict["NAME"]
    ):
        q &= Q(**{f"{field}__startswith": prefix})
    return q


@lru_cache(maxsize=8)
def _byte_order_collation(database: str) -> bool:
    """True when PostgreSQL compares text byte by byte (C/POSIX): the range alone is exact."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        row = cursor.fetchone()
    return bool(row) and row[0].split(".")[0] in ("C", "POSIX")


class CodeScopedQuerySet(VillageScopedQuerySet):
    """Scope without joins to districts and regencies (`by_code`).

    Village codes (the primary key) start with their district code, so a
    district is a range on the indexed village_id. Regency staff see every row:
    residents and families only ever belong to this regency's villages (imports,
    registrations and the generator refuse any other), and a village filter
    matching every row would steer SQLite's planner away from the name index
    that sorts the list.
    """

    readers = READERS
    by_code = True


class FamilyQuerySet(CodeScopedQuerySet):
    pass


class Family(models.Model):
    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    no_kk = models.CharField(_("nomor KK"), max_length=16, unique=True, validators=[validate_kk])
    # Indexed through the (village, dusun, rw, rt) index.
    village = models.ForeignKey(
        "regions.Village",
        models.PROTECT,
        related_name="families",
        verbose_name=_("desa"),
        db_index=False,
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        indexes = [models.Index(fields=["village", "dusun", "rw", "rt"])]

    def __str__(self) -> str:
        return self.masked_kk

    @property
    def masked_kk(self) -> str:
        return mask(self.no_kk)


# The fewest digits of a NIK that search by its start (the district code).
MIN_NIK_PREFIX = 6
# The most residents a search fetched as a list of ids finds: a NIK prefix (a
# district's six digits hold tens of thousands) or a surname (thousands of
# holders across a regency). The list says so when a search reaches it.
SEARCH_LIMIT = 2000


def nik_prefix_ids(digits: str) -> list[int]:
    """Ids of the residents whose NIK starts with `digits` (the first SEARCH_LIMIT by NIK).

    A range on the unique NIK index, asked alone: joined with a village filter,
    SQLite prefers the village's index and reads every resident of the village
    (200 ms for 50,000); alone it reads only the matching keys. The caller's
    scope applies to the ids afterwards.
    """
    rows = Resident.objects.filter(prefix_q("nik", digits)).order_by("nik")
    return list(rows.values_list("pk", flat=True)[:SEARCH_LIMIT])


class ResidentQuerySet(CodeScopedQuerySet):
    def alive(self):
        return self.filter(status=Status.ALIVE)

    def search(self, text: str):
        """NIK or no. KK (16 digits, exact), the start of a NIK (6-15 digits), or a name:
        folded prefix, else any word of it starting as typed (a surname), else sounding alike.
        """
        text = (text or "").strip()
        digits = text.replace(" ", "").replace(".", "")
        if digits.isdigit():
            return self._search_number(digits)
        folded = names.fold(text)
        if not folded:
            return self
        # Names that start as typed; only when there are none, a later word that
        # does (a surname), then names that sound alike (typos, old spellings).
        # The prefixes are one index range each, so the list stays sorted by its
        # index instead of sorting thousands of matches.
        found = self.filter(prefix_q("name_key", folded))
        if found.exists():
            return found
        surname = self.surname_ids(folded)
        if surname:
            return self.filter(pk__in=surname)
        found = self.filter(prefix_q("name_sound", names.sound_folded(folded)))
        if found.exists():
            return found
        return self.filter(name_sound__contains=" " + names.sound_folded(folded))

    def surname_ids(self, folded: str) -> list[int]:
        """Ids of the residents with a later word of the name starting with `folded`,
        the first SEARCH_LIMIT in list order.

        `LIKE '% x%'` can only filter, and fetching whole rows to filter them read
        every resident of a village from the table (22.7 ms for 12,600 at 5.5 M);
        name_key and id are both in the name indexes, so the ids come from the
        index alone (index-only scan) and only the matching rows are read after.
        """
        rows = self.filter(name_key__contains=" " + folded).order_by("name_key", "pk")
        return list(rows.values_list("pk", flat=True)[:SEARCH_LIMIT])

    def _search_number(self, digits: str):
        if len(digits) == 16:
            # The family first: an OR across the join would scan every resident.
            families = list(Family.objects.filter(no_kk=digits).values_list("pk", flat=True))
            return self.filter(Q(nik=digits) | Q(family_id__in=families))
        if MIN_NIK_PREFIX <= len(digits) < 16:
            return self.filter(pk__in=nik_prefix_ids(digits))
        return self.none()


class Resident(models.Model):
    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    nik = models.CharField(_("NIK"), max_length=16, unique=True, validators=[validate_nik])
    # Indexed through resident_village_name_id (village first): a second index would
    # only slow imports down.
    village = models.ForeignKey(
        "regions.Village",
        models.PROTECT,
        related_name="residents",
        verbose_name=_("desa"),
        db_index=False,
    )
    family = models.ForeignKey(
        Family,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("keluarga"),
    )
    name = models.CharField(_("nama"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False, default="")
    name_sound = models.CharField(max_length=150, editable=False, default="")
    sex = models.PositiveSmallIntegerField(_("jenis kelamin"), choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    religion = models.PositiveSmallIntegerField(
        _("agama"), choices=Religion.choices, null=True, blank=True
    )
    education = models.PositiveSmallIntegerField(
        _("pendidikan dalam KK"), choices=Education.choices, null=True, blank=True
    )
    occupation = models.PositiveSmallIntegerField(
        _("pekerjaan"), choices=Occupation.choices, null=True, blank=True
    )
    marital_status = models.PositiveSmallIntegerField(
        _("status perkawinan"), choices=MaritalStatus.choices, null=True, blank=True
    )
    relationship = models.PositiveSmallIntegerField(
        _("hubungan dalam keluarga"), choices=Relationship.choices, null=True, blank=True
    )
    citizenship = models.PositiveSmallIntegerField(
        _("kewarganegaraan"), choices=Citizenship.choices, default=Citizenship.WNI
    )
    blood_type = models.PositiveSmallIntegerField(
        _("golongan darah"), choices=BloodType.choices, null=True, blank=True
    )
    father_name = models.CharField(_("nama ayah"), max_length=150, blank=True)
    father_nik = models.CharField(_("NIK ayah"), max_length=16, blank=True)
    mother_name = models.CharField(_("nama ibu"), max_length=150, blank=True)
    mother_nik = models.CharField(_("NIK ibu"), max_length=16, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.ALIVE
    )
    # Staff accept a NIK whose date or sex disagrees with the record by giving a reason.
    nik_mismatch_reason = models.CharField(
        _("alasan NIK berbeda dengan data"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")
        # The lists sort by (name_key, id): with id in the index a page is read in
        # index order, where (name_key) alone made PostgreSQL join and sort every
        # resident sharing the page's names (2,000 rows for page 7 at 5.5 M).
        indexes = [
            models.Index(fields=["village", "name_key", "id"], name="resident_village_name_id"),
            models.Index(fields=["name_key", "id"], name="resident_name_key_id"),
            models.Index(fields=["name_sound"], name="resident_name_sound"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.set_name_keys()
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key", "name_sound", "updated_at"}
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        self.name_key = names.fold(self.name)[:150]
        self.name_sound = names.sound(self.name)[:150]

    @property
    def masked_nik(self) -> str:
        return mask(self.nik)

    def age(self, on=None) -> int | None:
        return age(self.birth_date, on or timezone.localdate())


def age(birth_date, on) -> int | None:
    """Full years from `birth_date` to `on`."""
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class EventQuerySet(VillageScopedQuerySet):
    readers = READERS


class RegistryEvent(models.Model):
    """A change in the registry (peristiwa): birth, death, move in, move out."""

    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    village = models.ForeignKey("regions.Village", models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, models.PROTECT, related_name="events")
    kind = models.CharField(_("peristiwa"), max_length=10, choices=EventKind.choices)
    date = models.DateField(_("tanggal peristiwa"))
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-recorded_at"]
        verbose_name = _("peristiwa")
        verbose_name_plural = _("peristiwa")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class ImportQuerySet(VillageScopedQuerySet):
    # Only those who import (the village's own staff) follow an import.
    readers = WRITERS


class ResidentImport(models.Model):
    """One uploaded file and how its import went (progress, counts, errors)."""

    uuid = models.UUIDField(default=new_uuid, unique=True, editable=False)
    village = models.ForeignKey("regions.Village", models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="residents/imports/", blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # [[row, column, value, reason], ...], capped; the full report is built from it.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    # Rows whose NIK is another person's (see importing.writer): never written by the
    # import; each {row, nik, resident, existing, new, decision} waits for staff.
    conflicts = models.JSONField(default=list, blank=True)
    conflict_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def undecided(self) -> int:
        return sum(1 for c in self.conflicts if not c.get("decision"))


class PopulationCount(models.Model):
    """Per-village counts kept beside the registry so regency statistics stay instant.

    Rebuilt for a village after each import or registry event. `dimension` is
    one of sex, religion, education, occupation, marital_status or birth_year
    (key "YYYY-S": birth year and sex, from which age groups are derived).
    """

    village = models.ForeignKey("regions.Village", models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=10)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "dimension", "key"], name="popcount_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.key}: {self.count}"


class PublishedPopulation(models.Model):
    """The population figures as published, for one region: the counts of one
    regency-wide suppression (residents.stats.publish) of one registry state.

    Computed when the registry changes (a task after each import and registry
    event), or by the first reader of a new state; pages read their region's
    row instead of suppressing the whole regency again. Every region of a
    state is written in one transaction, so one row found means all are there.
    `cells` is a list of [table, key, count, hidden].
    """

    state = models.CharField(max_length=100)
    region = models.CharField(max_length=13)
    cells = models.JSONField()
    made_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "region"], name="publishedpopulation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.state}"
