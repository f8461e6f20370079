"""Complaints (aduan): categories routed by duty, reports, their timeline and clocks."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import NOTHING, is_active_staff, unit_filter, village_filter
from balai.accounts.choices import REGENCY_ROLES, Role
from balai.complaints.choices import (
    OPEN,
    OPEN311_CLOSED,
    Clock,
    EventKind,
    PhotoKind,
    Privacy,
    RejectReason,
    Status,
    UnitKind,
)
from balai.lib import tracking


def new_public_id() -> str:
    """128 random bits, URL-safe: the id in public URLs and Open311."""
    return secrets.token_urlsafe(16)


def new_short_ref() -> str:
    """A new short reference (30 random bits: a clash is rare, not impossible). Its
    unique index refuses a clash; actions.submit_complaint files the report again."""
    return tracking.new_short_ref()


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Category(models.Model):
    """What a report is about, and by duty (tupoksi) who handles it."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    group = models.CharField(_("kelompok"), max_length=80, blank=True)
    keywords = models.CharField(_("kata kunci"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint_categories",
        verbose_name=_("OPD penanggung jawab"),
    )
    handled_by_village = models.BooleanField(
        _("urusan desa"), default=False, help_text=_("Ditangani pemerintah desa/kelurahan.")
    )
    sensitive = models.BooleanField(
        _("sensitif"),
        default=False,
        help_text=_("Selalu ke command center; tidak terlihat oleh desa dan kecamatan."),
    )
    resolution_days = models.PositiveSmallIntegerField(_("target selesai (hari kerja)"), default=10)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori aduan")
        verbose_name_plural = _("kategori aduan")

    def __str__(self) -> str:
        return self.name


class RoutingOverride(models.Model):
    """A different unit for one category in one district or village."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="overrides")
    district = models.ForeignKey(
        "regions.District", models.CASCADE, null=True, blank=True, verbose_name=_("kecamatan")
    )
    village = models.ForeignKey(
        "regions.Village", models.CASCADE, null=True, blank=True, verbose_name=_("desa/kelurahan")
    )
    unit_kind = models.CharField(_("jenis unit"), max_length=20, choices=UnitKind.choices)
    agency = models.ForeignKey(
        "agencies.Agency", models.CASCADE, null=True, blank=True, verbose_name=_("OPD")
    )

    class Meta:
        verbose_name = _("pengecualian rute")
        verbose_name_plural = _("pengecualian rute")
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=False, village__isnull=True)
                | Q(district__isnull=True, village__isnull=False),
                name="override_district_xor_village",
            ),
            models.CheckConstraint(
                condition=~Q(unit_kind=UnitKind.AGENCY) | Q(agency__isnull=False),
                name="override_agency_needs_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} @ {self.village or self.district}"


class ComplaintQuerySet(models.QuerySet):
    def for_user(self, user):
        """What `user` may see: their unit's, village's or district's; all for the regency."""
        if is_active_staff(user) and user.role == Role.AGENCY_STAFF:
            return self.filter(unit_filter(user) or NOTHING)
        if is_active_staff(user) and user.role in REGENCY_ROLES:
            return self.filter(village_filter(user))
        # Villages and districts see their area's reports, except sensitive ones.
        return self.filter(village_filter(user), category__sensitive=False)

    def public(self):
        """What anyone may read. Sensitive categories never, even a report filed
        before its category became sensitive."""
        return self.filter(is_public=True).not_sensitive()

    def not_sensitive(self):
        return self.exclude(category__sensitive=True)

    def open(self):
        return self.filter(status__in=OPEN)

    def for_unit(self, user):
        """The queue of the unit `user` works in (district staff: their area's)."""
        unit = unit_filter(user)
        return self.for_user(user) if unit is None else self.filter(unit)

    def overdue(self, now):
        return self.open().filter(next_due__lt=now)

    def in_category(self, code: str):
        """By the category's id, not a join on its code: the planner then uses the
        category's index. Retired categories too: their reports stay on record."""
        pk = Category.objects.filter(code=code).values_list("pk", flat=True).first()
        return self.filter(category_id=pk)

    def queue(
        self,
        user,
        *,
        unit_only: bool = False,
        status: str | None = None,
        category: str = "",
        village: str = "",
        overdue: bool = False,
        assignee=None,
        now=None,
    ):
        """A staff queue, for the page and the API alike: what `user` may see (their
        unit's only with `unit_only`), one status or every open one, by deadline."""
        found = self.for_user(user)
        if unit_only:
            found = found.for_unit(user)
        found = found.filter(status=status) if status else found.open()
        if category:
            found = found.in_category(category)
        if village:
            found = found.filter(village_id=village)
        if overdue:
            found = found.filter(next_due__lt=now or timezone.now())
        if assignee is not None:
            found = found.filter(assignee=assignee)
        return found.order_by(F("next_due").asc(nulls_last=True), "created_at", "pk")

    def similar(self, category, village, latitude=None, longitude=None, radius_m=500):
        """Open public reports of the same category near a point (or in the same village)."""
        found = self.public().open().filter(category=category)
        if latitude is None or longitude is None:
            return found.filter(village=village)
        # A box of about radius_m around the point; at Lumajang's latitude one
        # degree is ~110.6 km north-south and ~110.2 km east-west.
        dlat = radius_m / 110_600
        dlng = radius_m / 110_200
        return found.filter(
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlng, longitude + dlng),
        )


class Complaint(models.Model):
    Status = Status

    # Unique by constraints (below), which on PostgreSQL skip the extra
    # pattern-matching index Django adds to unique and indexed text columns.
    public_id = models.CharField(max_length=32, default=new_public_id, editable=False)
    tracking_digest = models.CharField(max_length=64, editable=False)
    # What the reporter reads over the phone (lib.tracking short references):
    # opens the report only with the last four digits of the reporter's phone.
    short_ref = models.CharField(
        _("kode singkat"),
        max_length=8,
        null=True,
        blank=True,
        default=new_short_ref,
        editable=False,
    )
    # Foreign keys without an index of their own where a composite index below
    # starts with them or the lookup is rare (deleting a user): every index is
    # one more write per submission.
    category = models.ForeignKey(
        Category,
        models.PROTECT,
        related_name="complaints",
        verbose_name=_("kategori"),
        db_index=False,
    )
    description = models.TextField(_("uraian"), max_length=4000)
    village = models.ForeignKey(
        "regions.Village",
        models.PROTECT,
        related_name="complaints",
        verbose_name=_("desa/kelurahan"),
        db_index=False,
    )
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    address = models.CharField(_("lokasi"), max_length=200, blank=True)
    privacy = models.CharField(
        _("privasi"), max_length=20, choices=Privacy.choices, default=Privacy.PUBLIC
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=100, blank=True)
    reporter_email = models.EmailField(_("email pelapor"), blank=True)
    reporter_phone = models.CharField(_("telepon/WhatsApp pelapor"), max_length=30, blank=True)
    source = models.CharField(_("sumber"), max_length=20, default="web")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reject_reason = models.CharField(
        _("alasan penolakan"), max_length=20, choices=RejectReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates", db_index=False
    )
    unit_kind = models.CharField(
        _("unit"), max_length=20, choices=UnitKind.choices, default=UnitKind.COMMAND_CENTER
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("OPD"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("petugas"),
        db_index=False,
    )
    status_notes = models.CharField(_("catatan status"), max_length=500, blank=True)
    is_public = models.BooleanField(default=True)
    # The reporter's rating of the response, once, after it was resolved.
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.CharField(_("komentar penilaian"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(_("diterima"))
    updated_at = models.DateTimeField(_("diperbarui"))
    verified_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    verify_due = models.DateTimeField(_("batas verifikasi"), null=True, blank=True)
    response_due = models.DateTimeField(_("batas tanggapan"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("target selesai"), null=True, blank=True)
    confirm_due = models.DateTimeField(_("batas konfirmasi pelapor"), null=True, blank=True)
    # The earliest deadline of a running clock: what queues sort by.
    next_due = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("aduan")
        verbose_name_plural = _("aduan")
        constraints = [
            models.UniqueConstraint(fields=["public_id"], name="complaint_public_id"),
            models.UniqueConstraint(fields=["tracking_digest"], name="complaint_tracking"),
            models.UniqueConstraint(fields=["short_ref"], name="complaint_short_ref"),
        ]
        # Queues list open reports by deadline: partial indexes hold only those.
        indexes = [
            models.Index(fields=["village", "-created_at"], name="complaint_village"),
            # Dashboards and open data count reports by the period received in.
            models.Index(fields=["created_at"], name="complaint_created"),
            # The dashboards' rollups fold the reports changed since their watermark.
            models.Index(fields=["updated_at"], name="complaint_updated"),
            models.Index(
                fields=["agency", "next_due"],
                name="complaint_agency_queue",
                condition=Q(unit_kind="agency", status__in=OPEN),
            ),
            models.Index(
                fields=["village", "next_due"],
                name="complaint_village_queue",
                condition=Q(status__in=OPEN),
            ),
            models.Index(
                fields=["-created_at"], name="complaint_public_list", condition=Q(is_public=True)
            ),
            models.Index(
                fields=["category", "-created_at"],
                name="complaint_public_category",
                condition=Q(is_public=True),
            ),
            models.Index(
                fields=["category", "latitude", "longitude"],
                name="complaint_nearby",
                condition=Q(is_public=True, status__in=OPEN),
            ),
            # Escalation, and the command center's and districts' queues.
            models.Index(fields=["next_due"], name="complaint_due", condition=Q(status__in=OPEN)),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.village} · {self.public_id[:8]}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:public-detail", args=[self.public_id])

    @property
    def grouped_short_ref(self) -> str:
        return tracking.grouped(self.short_ref or "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def open311_status(self) -> str:
        return "closed" if self.status in OPEN311_CLOSED else "open"

    @property
    def identity_hidden(self) -> bool:
        return self.privacy != Privacy.PUBLIC

    @property
    def unit_label(self) -> str:
        # The agency's full name, as on "who handles what": one name form in public.
        if self.unit_kind == UnitKind.AGENCY and self.agency is not None:
            return self.agency.name
        if self.unit_kind == UnitKind.VILLAGE:
            return str(self.village)
        return str(UnitKind.COMMAND_CENTER.label)

    @property
    def agency_responsible(self) -> str:
        if self.unit_kind == UnitKind.AGENCY and self.agency:
            return self.agency.name
        if self.unit_kind == UnitKind.VILLAGE:
            return f"Pemerintah {self.village}"
        return "Command Center"

    @property
    def expected_at(self):
        return self.resolution_due

    def timeline(self, internal: bool = False) -> list:
        """Every change, oldest first, starting with the report's arrival."""
        events = self.events.select_related("actor").order_by("at", "id")
        if not internal:
            events = events.filter(is_internal=False)
        arrival = ComplaintEvent(
            complaint=self,
            at=self.created_at,
            kind=EventKind.STATUS,
            to_status=Status.RECEIVED,
            actor_label=str(_("Pelapor")),
        )
        return [arrival, *events]

    def public_reporter(self) -> str:
        """The name the public may see: nothing for anonymous or confidential reports."""
        if self.identity_hidden or not self.reporter_name:
            return ""
        first = self.reporter_name.split()[0]
        return first


# Reasons the system records on events (actions.py), as the public reads them.
EVENT_REASONS = {
    "returned": _("Dikembalikan ke command center untuk disposisi ulang"),
    "confirmed": _("Pelapor menyatakan masalahnya sudah selesai"),
    "reopened": _("Pelapor menyatakan masalahnya belum selesai"),
    "no_reply": _("Pelapor tidak menjawab dalam batas waktu"),
}


class ComplaintEvent(models.Model):
    """One line of a report's timeline: who did what, when, and why."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The unit or role shown publicly instead of a person's name.
    actor_label = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("catatan"), max_length=4000, blank=True)
    reason = models.CharField(_("alasan"), max_length=40, blank=True)
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.to_status}"

    @property
    def title(self) -> str:
        """What happened, said once: a status change or a dispatch by the new status
        ("Didisposisikan", not "Disposisi: Didisposisikan"); a dispatch that returned the
        report to the command center as "Disposisi: <status>"."""
        if self.kind == EventKind.STATUS or self.to_status == Status.DISPATCHED:
            return self.get_to_status_display()
        if self.kind == EventKind.DISPATCH and self.to_status:
            return f"{self.get_kind_display()}: {self.get_to_status_display()}"
        return self.get_kind_display()

    @property
    def reason_display(self) -> str:
        """The reason in words: the system's codes translated, staff's own text as written."""
        if self.reason in EVENT_REASONS:
            return str(EVENT_REASONS[self.reason])
        if self.reason in RejectReason.values:
            return str(RejectReason(self.reason).label)
        return self.reason


def photo_path(instance, filename: str) -> str:
    return f"complaints/{instance.complaint.created_at:%Y/%m}/{secrets.token_hex(16)}.jpg"


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="photos")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(max_length=20, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    image = models.FileField(upload_to=photo_path)
    # Resized copies made at upload (lib.uploads.resized): lists show the thumb,
    # staff pages the medium one; the original only when asked for.
    thumb = models.FileField(upload_to=photo_path, blank=True)
    medium = models.FileField(upload_to=photo_path, blank=True)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.public_id


class Reminder(models.Model):
    """An escalation sent once: per report, clock, deadline and level."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="reminders")
    clock = models.CharField(max_length=20, choices=Clock.choices)
    due = models.DateTimeField()
    level = models.PositiveSmallIntegerField()  # 1: the unit; 2: its head and the command center
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "clock", "due", "level"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.clock} L{self.level}"


@receiver([post_save, post_delete])
def _routing_changed(sender, **kwargs):
    if sender._meta.label_lower in ROUTING_TABLES:
        from balai.complaints import lookups

        lookups.clear()


ROUTING_TABLES = {
    "complaints.category",
    "complaints.routingoverride",
    "agencies.agency",
    "regions.village",
}


def audit_rows_hidden_from_area() -> Q:
    """Audit rows a village's or district's staff may not read in their log: any
    about a sensitive report (they never see those), and the reporter's own acts
    (with their IP address) on an anonymous or confidential report."""
    complaints = Complaint.objects.annotate(key=Cast("pk", models.CharField()))
    sensitive = complaints.filter(category__sensitive=True).values("key")
    hidden = complaints.exclude(privacy=Privacy.PUBLIC).values("key")
    about = Q(object_type="complaints.complaint")
    return (about & Q(object_id__in=sensitive)) | (
        about & Q(user__isnull=True, object_id__in=hidden)
    )
