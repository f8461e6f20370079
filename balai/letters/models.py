"""Letter services: the regency's catalogue of letter types, each village's
settings, residents' requests, the steps taken on them, and issued letters.

Public objects are named by random values only: a request by its tracking code
(140 bits), a letter by its `public_id` (128 bits, the QR's target); staff
pages use UUIDs. Numbers come from `NumberCounter`, one row per village, year
(and type, where a village numbers per type), locked while a letter is signed.
"""

from __future__ import annotations

import secrets
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import VillageScopedQuerySet
from balai.accounts.choices import VILLAGE_ROLES, Role
from balai.letters import numbering, placeholders
from balai.letters.choices import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    FieldKind,
    Paper,
    RequestStatus,
    Step,
)
from balai.lib import tracking
from balai.lib.numbers import format_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _check_requirements(items) -> list[StrOrPromise]:
    errors: list[StrOrPromise] = []
    if not isinstance(items, list):
        return [_("Persyaratan harus berupa daftar.")]
    keys = set()
    for item in items:
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            errors.append(_("Setiap persyaratan perlu 'key' dan 'label'."))
            continue
        if not placeholders.NAME.match(item["key"]) or "." in item["key"]:
            errors.append(_("Kunci persyaratan %(k)s tidak sah.") % {"k": item["key"]})
        if item["key"] in keys:
            errors.append(_("Kunci persyaratan %(k)s ganda.") % {"k": item["key"]})
        keys.add(item["key"])
    return errors


def _check_fields(items) -> list[StrOrPromise]:
    errors: list[StrOrPromise] = []
    if not isinstance(items, list):
        return [_("Isian tambahan harus berupa daftar.")]
    names = set()
    for item in items:
        if not isinstance(item, dict) or not item.get("name") or not item.get("label"):
            errors.append(_("Setiap isian perlu 'name' dan 'label'."))
            continue
        name = item["name"]
        if not placeholders.NAME.match(name) or "." in name or name == "keperluan":
            errors.append(_("Nama isian %(n)s tidak sah.") % {"n": name})
        if name in names:
            errors.append(_("Nama isian %(n)s ganda.") % {"n": name})
        names.add(name)
        if item.get("kind", FieldKind.TEXT) not in FieldKind.values:
            errors.append(_("Jenis isian %(n)s tidak dikenal.") % {"n": name})
        if item.get("kind") == FieldKind.CHOICE and not item.get("choices"):
            errors.append(_("Isian pilihan %(n)s perlu daftar pilihan.") % {"n": name})
    return errors


class LetterTypeQuerySet(models.QuerySet):
    def enabled_in(self, village):
        return self.filter(
            is_active=True, villages__village=village, villages__enabled=True
        ).order_by("order", "name")


class LetterType(models.Model):
    """One kind of letter in the regency catalogue; villages switch it on."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    short_code = models.CharField(
        _("singkatan"), max_length=12, blank=True, help_text=_("Untuk {kode_surat}, mis. SKD.")
    )
    name = models.CharField(_("nama"), max_length=120)
    title = models.CharField(
        _("judul surat"), max_length=120, help_text=_("Dicetak di surat, mis. SURAT KETERANGAN.")
    )
    classification = models.CharField(
        _("kode klasifikasi"),
        max_length=20,
        help_text=_("Klasifikasi arsip Kemendagri, mis. 470, 474.1, 503."),
    )
    description = models.TextField(_("keterangan untuk pemohon"), blank=True)
    requirements = models.JSONField(
        _("persyaratan"),
        default=list,
        blank=True,
        help_text=_('[{"key": "ktp", "label": "Foto KTP", "upload": true, "required": true}]'),
    )
    extra_fields = models.JSONField(
        _("isian tambahan"),
        default=list,
        blank=True,
        help_text=_(
            '[{"name": "nama_usaha", "label": "Nama usaha", "kind": "text", "required": true}] '
            "— kind: text, number, date, choice (dengan choices)."
        ),
    )
    validity_days = models.PositiveIntegerField(
        _("masa berlaku (hari)"), default=0, help_text=_("0 = tidak dibatasi.")
    )
    body = models.TextField(
        _("isi surat"),
        help_text=_("Teks biasa; paragraf dipisah baris kosong; penanda seperti {{ keperluan }}."),
    )
    online = models.BooleanField(_("dapat diajukan daring"), default=True)
    number_format = models.CharField(
        _("format nomor khusus"),
        max_length=80,
        blank=True,
        help_text=_("Kosongkan untuk memakai format kabupaten."),
    )
    sla_days = models.PositiveSmallIntegerField(_("target selesai (hari kerja)"), default=3)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    objects = LetterTypeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("jenis surat")
        verbose_name_plural = _("jenis surat")

    def __str__(self) -> str:
        return self.name

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.extra_fields if isinstance(f, dict) and "name" in f]

    @property
    def uploads(self) -> list[dict]:
        return [r for r in self.requirements if r.get("upload")]

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if problems := _check_requirements(self.requirements):
            errors["requirements"] = problems
        if problems := _check_fields(self.extra_fields):
            errors["extra_fields"] = problems
        names = self.field_names if "extra_fields" not in errors else []
        if problems := placeholders.problems(self.body or "", names):
            errors["body"] = problems
        if self.number_format and (wrong := numbering.format_problems(self.number_format)):
            errors["number_format"] = wrong
        if errors:
            raise ValidationError(errors)


class LetterSettings(models.Model):
    """The regency's choices for every letter: number format and paper."""

    regency = models.OneToOneField("regions.Regency", models.CASCADE, primary_key=True)
    number_format = models.CharField(
        _("format nomor"), max_length=80, default=numbering.DEFAULT_FORMAT
    )
    paper = models.CharField(_("ukuran kertas"), max_length=2, choices=Paper, default=Paper.A4)
    logo = models.FileField(
        _("logo kabupaten"),
        upload_to="letters/logo/",
        blank=True,
        help_text=_("Dicetak di kop surat setiap desa. PNG atau JPG, maksimal 1 MB."),
    )

    class Meta:
        verbose_name = _("pengaturan surat kabupaten")
        verbose_name_plural = _("pengaturan surat kabupaten")

    def __str__(self) -> str:
        return str(self.regency)

    def clean(self):
        if problems := numbering.format_problems(self.number_format):
            raise ValidationError({"number_format": problems})

    @classmethod
    def current(cls) -> LetterSettings:
        found = cls.objects.filter(regency_id=settings.BALAI_REGENCY).first()
        return found or cls(regency_id=settings.BALAI_REGENCY)


# Who reads a village's letter service: its staff, its district and the regency admin.
STAFF_READERS = (*VILLAGE_ROLES, Role.DISTRICT_STAFF, Role.REGENCY_ADMIN)
# A village's settings: its staff, and the regency admin who keeps the catalogue.
SETTINGS_READERS = (*VILLAGE_ROLES, Role.REGENCY_ADMIN)


class VillageSettingsQuerySet(VillageScopedQuerySet):
    readers = SETTINGS_READERS


class VillageLetterSettings(models.Model):
    """A village's letterhead and which workflow steps it uses."""

    village = models.OneToOneField(
        "regions.Village", models.CASCADE, primary_key=True, related_name="letter_settings"
    )
    address = models.CharField(
        _("alamat kantor"), max_length=200, blank=True, help_text=_("Dicetak di kop surat.")
    )
    uses_verification = models.BooleanField(_("verifikasi oleh operator"), default=True)
    uses_secretary_check = models.BooleanField(_("pemeriksaan oleh sekretaris"), default=False)
    allows_download = models.BooleanField(
        _("pemohon boleh mengunduh surat bertanda tangan"), default=False
    )
    numbers_per_type = models.BooleanField(_("nomor urut terpisah per jenis surat"), default=False)
    secretary_signs = models.BooleanField(
        _("sekretaris menandatangani a.n. kepala desa/lurah (semua jenis surat)"),
        default=False,
        help_text=_("Untuk sebagian jenis surat saja, pilih jenisnya di bawah."),
    )

    objects = VillageSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaturan surat desa")
        verbose_name_plural = _("pengaturan surat desa")

    def __str__(self) -> str:
        return str(self.village)

    @classmethod
    def for_village(cls, village, *, loaded: bool = False) -> VillageLetterSettings:
        """The village's settings (defaults when it has none). `loaded`: the
        village was fetched just now with select_related("letter_settings")."""
        if loaded:
            try:
                return village.letter_settings
            except cls.DoesNotExist:
                return cls(village=village)
        found = cls.objects.filter(village=village).first()
        return found or cls(village=village)


class VillageLetterTypeQuerySet(VillageScopedQuerySet):
    readers = SETTINGS_READERS


class VillageLetterType(models.Model):
    village = models.ForeignKey("regions.Village", models.CASCADE, related_name="letter_types")
    letter_type = models.ForeignKey(LetterType, models.CASCADE, related_name="villages")
    enabled = models.BooleanField(_("aktif"), default=True)
    # The secretary may sign this type a.n. the head (or every type: VillageLetterSettings).
    secretary_signs = models.BooleanField(_("sekretaris boleh menandatangani"), default=False)

    objects = VillageLetterTypeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "letter_type"], name="village_letter_type")
        ]

    def __str__(self) -> str:
        return f"{self.village}: {self.letter_type}"


class RequestQuerySet(VillageScopedQuerySet):
    readers = STAFF_READERS

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def queue(self, status: str | None):
        """The staff queue's filter, for page and API alike: "open" (the default
        view) by deadline, one status by its latest change, anything else all
        requests, newest first."""
        if status == "open":
            return self.open().order_by("due_at", "pk")
        if status in RequestStatus.values:
            return self.filter(status=status).order_by("-status_changed_at", "pk")
        return self.order_by("-submitted_at", "pk")

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def search(self, text: str):
        """Requests by the start of a tracking code (read out over the phone), the
        start of the resident's NIK (6+ digits) or the resident's name (as the
        registry searches it: start, any word, sounding alike)."""
        from balai.residents.models import MIN_NIK_PREFIX, Resident, nik_prefix_ids

        text = (text or "").strip()
        digits = text.replace(" ", "").replace(".", "")
        if digits.isdigit():
            if len(digits) < MIN_NIK_PREFIX:
                return self.none()
            return self.filter(resident_id__in=nik_prefix_ids(digits[:16]))
        code = tracking.typed(text)
        if code and len(code) >= TRACKING_PREFIX and any(ch.isdigit() for ch in text):
            return self.filter(tracking_code__startswith=code)  # no name holds a digit
        if not text:
            return self
        by_name = Q(resident__in=Resident.objects.search(text).values("pk"))
        if code and len(code) >= TRACKING_PREFIX:
            # Letters only: a code's start ("ABCD-EFGH": one code in twenty has no
            # digit among its first eight characters) or a name ("Siti" reads "S1T1").
            return self.filter(Q(tracking_code__startswith=code) | by_name)
        return self.filter(by_name)

    def finished(self):
        return self.filter(status__in=FINISHED_STATUSES)


# The fewest characters of a tracking code that find a request by its start.
TRACKING_PREFIX = 4


def new_tracking_code() -> str:
    return tracking.new_code()


def new_short_ref() -> str:
    """A new short reference (30 random bits: a clash is rare, not impossible). Its
    unique index refuses a clash; actions.submit_request inserts again with another."""
    return tracking.new_short_ref()


class LetterRequest(models.Model):
    """A resident's request (permohonan) for a letter."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_code = models.CharField(max_length=28, unique=True, default=new_tracking_code)
    # Read over the phone (lib.tracking short references); opens the request only
    # with the last four digits of its phone number.
    short_ref = models.CharField(
        _("kode singkat"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        default=new_short_ref,
        editable=False,
    )
    # From the form the resident submitted: a second submission of the same form
    # finds the first request instead of making another.
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    village = models.ForeignKey("regions.Village", models.PROTECT, related_name="letter_requests")
    letter_type = models.ForeignKey(LetterType, models.PROTECT, related_name="requests")
    resident = models.ForeignKey(
        "residents.Resident", models.PROTECT, related_name="letter_requests"
    )
    purpose = models.CharField(_("keperluan"), max_length=300)
    values = models.JSONField(_("isian"), default=dict, blank=True)
    phone = models.CharField(_("nomor WhatsApp/telepon"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, default=RequestStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("target selesai"), null=True, blank=True)
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    reject_reason = models.TextField(_("alasan ditolak"), blank=True)
    collected_by_name = models.CharField(_("diambil oleh"), max_length=150, blank=True)
    collected_at = models.DateTimeField(_("waktu diambil"), null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("permohonan surat")
        verbose_name_plural = _("permohonan surat")
        indexes = [
            models.Index(fields=["village", "status", "due_at"], name="letterreq_queue"),
            models.Index(fields=["resident", "-submitted_at"], name="letterreq_resident"),
            # Dashboards and open data count requests by the period submitted in.
            models.Index(fields=["submitted_at"], name="letterreq_submitted"),
            models.Index(fields=["village", "submitted_at"], name="letterreq_village_submitted"),
            # The dashboards' rollups fold the requests changed since their watermark,
            # and a regency's dashboard counts the backlog by state.
            models.Index(fields=["status_changed_at"], name="letterreq_changed"),
            models.Index(fields=["status", "village", "due_at"], name="letterreq_status"),
        ]

    def __str__(self) -> str:
        return f"{self.letter_type} · {self.grouped_code}"

    @property
    def grouped_code(self) -> str:
        return tracking.grouped(self.tracking_code)

    @property
    def grouped_short_ref(self) -> str:
        return tracking.grouped(self.short_ref or "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def phone_international(self) -> str:
        """The contact number as 62... digits (balai.lib.phones), "" without one."""
        from balai.lib.phones import normalise_or_none

        found = normalise_or_none(self.phone)
        if found:
            return found
        digits = "".join(ch for ch in self.phone if ch.isdigit())  # stored before the rule
        return "62" + digits[1:] if digits.startswith("0") else digits

    @property
    def whatsapp_url(self) -> str:
        number = self.phone_international
        return f"https://wa.me/{number}" if number else ""

    @property
    def tel_url(self) -> str:
        number = self.phone_international
        return f"tel:+{number}" if number else ""

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < (now or timezone.now())

    def value_rows(self) -> list[tuple[str, str]]:
        """(label, value) for the type's extra fields, in the type's order."""
        rows = []
        for field in self.letter_type.extra_fields:
            value = self.values.get(field["name"], "")
            if value != "" and field.get("kind") == FieldKind.DATE:
                import datetime as dt

                value = placeholders.date_id(dt.date.fromisoformat(value))
            elif value != "" and field.get("kind") == FieldKind.NUMBER:
                value = format_number(value)  # "1.500.000", "2,5": as Indonesians write them
            rows.append((field["label"], str(value) if value != "" else "-"))
        return rows


def requirement_path(instance, filename: str) -> str:
    return f"letters/requirements/{instance.request.submitted_at:%Y/%m}/{filename}"


class RequestDocumentQuerySet(models.QuerySet):
    def given_by(self, resident, limit: int = 20):
        """What `resident` gave with their own requests, newest first: offered
        again to them when signed in with their PIN (and to nobody else)."""
        return (
            self.filter(request__resident=resident)
            .select_related("request__letter_type")
            .order_by("-uploaded_at")[:limit]
        )


class RequestDocument(models.Model):
    """A requirement the resident uploaded; served only through staff views."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(LetterRequest, models.CASCADE, related_name="documents")
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=120)
    file = models.FileField(upload_to=requirement_path)
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = RequestDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.label

    def copy(self) -> ContentFile:
        """The stored file's content, to attach to another request of the same resident."""
        with self.file.open("rb") as stored:
            return ContentFile(stored.read(), name=self.file.name.rsplit("/", 1)[-1])


class RequestStep(models.Model):
    """Who did what to a request, and when."""

    request = models.ForeignKey(LetterRequest, models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        # The "returned" measure of letters.stats looks up returned requests.
        indexes = [
            models.Index(
                fields=["request"], name="requeststep_returned", condition=Q(step="returned")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.at:%Y-%m-%d %H:%M}"


class NumberCounter(models.Model):
    """The last number given in a village, year and scope ("" = all types)."""

    village = models.ForeignKey("regions.Village", models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=40, blank=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "scope"], name="number_counter")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year} {self.scope or '*'}: {self.last}"


def new_public_id() -> str:
    return secrets.token_urlsafe(16)  # 128 bits


def letter_path(instance, filename: str) -> str:
    return f"letters/issued/{instance.village_id}/{instance.year}/{filename}"


class LetterQuerySet(VillageScopedQuerySet):
    readers = STAFF_READERS

    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Letter(models.Model):
    """An issued, signed letter: its number, its PDF and the PDF's SHA-256."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    request = models.OneToOneField(LetterRequest, models.PROTECT, related_name="letter")
    village = models.ForeignKey("regions.Village", models.PROTECT, related_name="letters")
    letter_type = models.ForeignKey(LetterType, models.PROTECT, related_name="letters")
    number = models.CharField(_("nomor surat"), max_length=100)
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=40, blank=True)
    sequence = models.PositiveIntegerField()
    pdf = models.FileField(upload_to=letter_path)
    sha256 = models.CharField(max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("tanggal surat"), default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=150)
    signer_position = models.CharField(max_length=150)
    # "a.n. KEPALA DESA TEMPURSARI" when a secretary signed for the head; "" when the head did.
    signer_authority = models.CharField(max_length=150, blank=True)
    resident_name = models.CharField(max_length=150)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "scope", "sequence"], name="letter_sequence"
            ),
            models.UniqueConstraint(fields=["village", "number"], name="letter_number"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def masked_name(self) -> str:
        return mask_name(self.resident_name)


def mask_name(name: str) -> str:
    """`SITI WAHYUNI` -> `S*** W******`: the first letter of each word."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


class PinQuerySet(VillageScopedQuerySet):
    # PINs are the village's own business with its residents.
    readers = tuple(VILLAGE_ROLES)


class ResidentPin(models.Model):
    """A PIN a village gave a resident to see all their requests (layanan mandiri)."""

    resident = models.OneToOneField("residents.Resident", models.CASCADE, related_name="letter_pin")
    village = models.ForeignKey("regions.Village", models.CASCADE, related_name="+")
    pin_hash = models.CharField(max_length=200)
    must_change = models.BooleanField(default=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    objects = PinQuerySet.as_manager()

    def __str__(self) -> str:
        return f"PIN {self.resident_id}"


@receiver([post_save, post_delete])
def _offers_changed(sender, **kwargs):
    from balai.letters import lookups

    if sender._meta.label_lower in lookups.TABLES:
        lookups.clear()
