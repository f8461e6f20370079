"""CCTV: the regency's cameras, the sites that group them, their state and history.

History is kept as state changes (CameraEvent; camera.down / camera.up
are also published to the one event outbox, notifications.events) and rollups of seconds per
state per hour and day (CameraRollup), never as one row per probe: storage
grows with cameras and changes, not with probe rounds.
"""

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import village_filter
from balai.accounts.choices import REGENCY_ROLES, Role
from balai.cctv.choices import (
    DOWN_STATES,
    EventKind,
    OutageKind,
    Period,
    Purpose,
    State,
    Visibility,
    Weekday,
)
from balai.residents.models import new_uuid

SITE_DOWN_TEXT = _("Router/NVR desa tidak dapat dihubungi.")


def _scope(user, village_field: str) -> Q:
    """What `user` may read: their area's cameras, their agency's, all for the regency."""
    visible = village_filter(user, village_field)
    if (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.AGENCY_STAFF
        and user.agency_id
    ):
        prefix = village_field.rsplit("village", 1)[0]
        visible |= Q(**{f"{prefix}owner_agency_id": user.agency_id})
    return visible


class Probed(models.Model):
    """What a site and a camera share: a damped state from probe results."""

    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.UNKNOWN
    )
    state_since = models.DateTimeField(_("sejak"), null=True, blank=True)
    # Flap damping: the state a run of results points to, and how many in a row.
    pending_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    pending_count = models.PositiveSmallIntegerField(default=0)
    pending_since = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True)
    # The last result that was not down: an outage counts from here.
    last_ok_at = models.DateTimeField(_("terakhir terjangkau"), null=True, blank=True)

    class Meta:
        abstract = True


class SiteQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(village_filter(user))


class Site(Probed):
    """A village's router or NVR: when it is down, its cameras are unreachable."""

    public_id = models.UUIDField(default=new_uuid, unique=True, editable=False)
    village = models.ForeignKey(
        "regions.Village", models.PROTECT, related_name="cctv_sites", verbose_name=_("desa")
    )
    name = models.CharField(_("nama"), max_length=120)
    host = models.CharField(
        _("alamat router/NVR"),
        max_length=255,
        blank=True,
        help_text=_("Nama host atau IP yang diperiksa (TCP); kosong: dari kamera-kameranya."),
    )
    port = models.PositiveIntegerField(
        _("port"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(65535)],
    )
    notes = models.CharField(_("catatan"), max_length=300, blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["village", "name"]
        verbose_name = _("situs CCTV")
        verbose_name_plural = _("situs CCTV")
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="cctv_site_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.village})"


class CameraQuerySet(models.QuerySet):
    def for_user(self, user):
        """Cameras `user` may read; nothing for roles without a camera scope."""
        return self.filter(_scope(user, "village"))

    def public(self):
        """What anyone may see listed: public cameras of onboarded villages."""
        return self.filter(visibility=Visibility.PUBLIC, village__is_active=True)

    def in_trouble(self):
        """Down and degraded cameras, longest first: the board."""
        return self.exclude(state__in=[State.UP, State.UNKNOWN]).order_by(
            F("state_since").asc(nulls_last=True), "pk"
        )

    def counts(self) -> dict[str, int]:
        rows = self.order_by().values_list("state").annotate(n=models.Count("pk"))
        found = dict(rows)
        return {state: found.get(state, 0) for state in State.values}


class Camera(Probed):
    public_id = models.UUIDField(default=new_uuid, unique=True, editable=False)
    village = models.ForeignKey(
        "regions.Village", models.PROTECT, related_name="cameras", verbose_name=_("desa")
    )
    site = models.ForeignKey(
        Site,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cameras",
        verbose_name=_("situs"),
    )
    name = models.CharField(_("nama"), max_length=120)
    location = models.CharField(_("lokasi"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("lintang"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("bujur"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    purpose = models.CharField(_("tujuan"), max_length=20, choices=Purpose.choices)
    # None: the village itself owns it; else the agency (Dishub, BPBD, police post).
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cameras",
        verbose_name=_("pemilik (OPD)"),
    )
    visibility = models.CharField(
        _("visibilitas"), max_length=10, choices=Visibility.choices, default=Visibility.STAFF
    )
    make = models.CharField(_("merek"), max_length=60, blank=True)
    model = models.CharField(_("model"), max_length=60, blank=True)
    installed_on = models.DateField(_("tanggal pasang"), null=True, blank=True)
    # How to reach it; none carries credentials (validated).
    rtsp_url = models.CharField(_("URL RTSP"), max_length=500, blank=True)
    onvif_url = models.CharField(_("endpoint ONVIF"), max_length=500, blank=True)
    snapshot_url = models.CharField(_("URL snapshot HTTP"), max_length=500, blank=True)
    hls_url = models.CharField(_("URL HLS"), max_length=500, blank=True)
    relay_path = models.CharField(
        _("jalur NVR/relay"),
        max_length=200,
        blank=True,
        help_text=_("Nama jalur di MediaMTX/go2rtc, bila kamera lewat relay."),
    )
    # Fernet token of the username and password (balai.cctv.crypto); never shown.
    credentials = models.TextField(blank=True, editable=False)
    retention_days = models.PositiveSmallIntegerField(
        _("masa simpan rekaman (hari)"), default=30, validators=[MaxValueValidator(3650)]
    )
    operator_contact = models.CharField(
        _("kontak pengelola"),
        max_length=200,
        help_text=_("Untuk pemberitahuan UU PDP: siapa yang dihubungi tentang rekaman ini."),
    )
    # The last probe's findings.
    problems = models.JSONField(default=list, blank=True)
    problem_text = models.CharField(_("masalah terakhir"), max_length=300, blank=True)
    detail = models.CharField(_("rincian teknis"), max_length=300, blank=True)
    clock_drift = models.FloatField(null=True, blank=True)
    fingerprint = models.TextField(blank=True)  # of the last snapshot (probing.snapshots)
    snapshot_at = models.DateTimeField(null=True, blank=True)
    # Seconds per state accrued in the current hour, flushed to CameraRollup.
    accrual_hour = models.DateTimeField(null=True, blank=True)
    accrued = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CameraQuerySet.as_manager()

    class Meta:
        ordering = ["village", "name"]
        verbose_name = _("kamera")
        verbose_name_plural = _("kamera")
        indexes = [models.Index(fields=["state", "state_since"])]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="cctv_camera_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.village})"

    @property
    def owner_label(self) -> str:
        return str(self.owner_agency) if self.owner_agency_id else str(_("Pemerintah desa"))

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials)

    @property
    def is_down(self) -> bool:
        return self.state in DOWN_STATES


def can_manage(user, camera: Camera | None = None, village=None) -> bool:
    """Who may add and change cameras: the owner unit, and the regency admin."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role == Role.REGENCY_ADMIN:
        return True
    if user.role == Role.AGENCY_STAFF:
        return camera is None or camera.owner_agency_id == user.agency_id
    if user.is_village_staff:
        if camera is None:
            return village is None or village.pk == user.village_id
        return camera.village_id == user.village_id and camera.owner_agency_id is None
    return False


def can_view_snapshots(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role) and (
        user.role in REGENCY_ROLES or user.role == Role.AGENCY_STAFF or user.is_village_staff
    )


class CameraEventQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(_scope(user, "camera__village"))

    def since(self, when):
        return self.filter(at__gte=when)

    def reconnects(self):
        return self.filter(kind=EventKind.UP, from_state__in=DOWN_STATES)

    def freezes(self):
        return self.filter(problem="frozen")


class CameraEvent(models.Model):
    """A state change of a camera (camera.down / camera.up also go to the event outbox).

    Kept small (it is most of the history): the text is derived from the
    problem code, and the id other systems see is the row's own.
    """

    # Indexed by (camera, -at) below; no second index of its own.
    camera = models.ForeignKey(Camera, models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField(_("waktu"))
    kind = models.CharField(_("jenis"), max_length=20, choices=EventKind.choices)
    from_state = models.CharField(max_length=12, choices=State.choices)
    to_state = models.CharField(max_length=12, choices=State.choices)
    problem = models.CharField(max_length=30, blank=True)

    objects = CameraEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("kejadian kamera")
        verbose_name_plural = _("kejadian kamera")
        indexes = [models.Index(fields=["camera", "-at"])]

    def __str__(self) -> str:
        return f"{self.camera} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        """What happened, in plain Indonesian."""
        from balai.cctv.state import problem_text

        if self.to_state == State.SITE_DOWN:
            return str(SITE_DOWN_TEXT)
        return problem_text([self.problem] if self.problem else [])


class RollupQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(_scope(user, "camera__village"))

    def days(self, first: dt.date, last: dt.date):
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
        return self.filter(period=Period.DAY, start__gte=start, start__lt=end)

    def hours(self, start, end):
        return self.filter(period=Period.HOUR, start__gte=start, start__lt=end)

    def totals(self, *group_by: str):
        """Seconds up, degraded and down, and the uptime share, grouped in the database.

        Group by e.g. "camera__village", "camera__village__district",
        "camera__owner_agency"; no field gives the whole (regency) total.
        """
        rows = self.order_by().values(*group_by) if group_by else self.order_by()
        annotated = rows.annotate(
            up=Coalesce(Sum("up_seconds"), 0),
            degraded=Coalesce(Sum("degraded_seconds"), 0),
            down=Coalesce(Sum("down_seconds"), 0),
        )
        if not group_by:
            return annotated.aggregate(
                up=Coalesce(Sum("up_seconds"), 0),
                degraded=Coalesce(Sum("degraded_seconds"), 0),
                down=Coalesce(Sum("down_seconds"), 0),
            )
        return annotated.order_by(*group_by)


def uptime(row: dict) -> float | None:
    """Share of observed time a camera worked (degraded counts as working)."""
    total = row["up"] + row["degraded"] + row["down"]
    return None if total == 0 else (row["up"] + row["degraded"]) / total


class CameraRollup(models.Model):
    """Seconds a camera spent in each state during one hour or one local day."""

    # The unique (camera, period, start) index serves lookups by camera.
    camera = models.ForeignKey(Camera, models.CASCADE, related_name="rollups", db_index=False)
    period = models.CharField(max_length=4, choices=Period.choices)
    start = models.DateTimeField()
    up_seconds = models.PositiveIntegerField(default=0)
    degraded_seconds = models.PositiveIntegerField(default=0)
    down_seconds = models.PositiveIntegerField(default=0)

    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("rekap kamera")
        verbose_name_plural = _("rekap kamera")
        constraints = [
            models.UniqueConstraint(fields=["camera", "period", "start"], name="cctv_rollup_unique")
        ]
        # The pages' "this period, all cameras" sums.
        indexes = [models.Index(fields=["period", "start"])]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.period} {self.start:%Y-%m-%d %H:%M}"


class OutageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)

    def overlapping(self, start, end):
        """Outages that were going on at some time in [start, end)."""
        return self.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start), since__lt=end)

    def longest(self, start, end, now, limit: int = 10):
        """Camera outages in [start, end), longest first by the time inside the period
        (`within`, computed in the database; open ones count until `now`)."""
        until = Least(Coalesce("ended_at", Value(now)), Value(end))
        within = ExpressionWrapper(until - Greatest("since", Value(start)), models.DurationField())
        return (
            self.overlapping(start, end)
            .filter(camera__isnull=False)
            .annotate(within=within)
            .order_by("-within", "pk")[:limit]
        )


class Outage(models.Model):
    """One outage of a camera (down or frozen) or of a whole site: alerted once."""

    camera = models.ForeignKey(
        Camera, models.CASCADE, null=True, blank=True, related_name="outages"
    )
    site = models.ForeignKey(Site, models.CASCADE, null=True, blank=True, related_name="outages")
    kind = models.CharField(max_length=10, choices=OutageKind.choices)
    # Since when it has not been seen working (its last good result, or the first bad one).
    since = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    recovery_sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutageQuerySet.as_manager()

    class Meta:
        verbose_name = _("gangguan")
        verbose_name_plural = _("gangguan")
        constraints = [
            models.CheckConstraint(
                condition=Q(camera__isnull=False, site__isnull=True)
                | Q(camera__isnull=True, site__isnull=False),
                name="cctv_outage_camera_xor_site",
            ),
            # At most one open outage per camera and per site: never two alerts at once.
            models.UniqueConstraint(
                fields=["camera"], condition=Q(ended_at=None), name="cctv_one_open_camera_outage"
            ),
            models.UniqueConstraint(
                fields=["site"], condition=Q(ended_at=None), name="cctv_one_open_site_outage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.camera_id or self.site_id} {self.since:%Y-%m-%d %H:%M}"


class MaintenanceQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(village_filter(user)) | self.filter(
            camera__in=Camera.objects.for_user(user)
        )

    def current_or_coming(self, now):
        return self.filter(Q(weekday__isnull=False) | Q(ends_at__gt=now))

    def covering(self, when):
        """Windows in force at `when`: one-off ones around it, weekly ones on its weekday."""
        local = timezone.localtime(when)
        one_off = Q(weekday__isnull=True, starts_at__lte=when, ends_at__gt=when)
        weekly = Q(weekday__isnull=False)
        rows = self.filter(one_off | weekly)
        return [w for w in rows if w.weekday is None or w.covers_weekly(local)]


class MaintenanceWindow(models.Model):
    """Planned work during which alerts are held back: once, or every week."""

    village = models.ForeignKey(
        "regions.Village", models.CASCADE, related_name="+", verbose_name=_("desa")
    )
    site = models.ForeignKey(
        Site,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="maintenance",
        verbose_name=_("situs"),
    )
    camera = models.ForeignKey(
        Camera,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="maintenance",
        verbose_name=_("kamera"),
        help_text=_("Kosongkan situs dan kamera untuk seluruh desa."),
    )
    reason = models.CharField(_("alasan"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    ends_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("setiap hari"), choices=Weekday.choices, null=True, blank=True
    )
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("lama (menit)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )

    objects = MaintenanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("jadwal pemeliharaan")
        verbose_name_plural = _("jadwal pemeliharaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=True, starts_at__isnull=False, ends_at__isnull=False)
                | Q(
                    weekday__isnull=False,
                    start_time__isnull=False,
                    duration_minutes__isnull=False,
                ),
                name="cctv_maintenance_once_or_weekly",
            )
        ]

    def __str__(self) -> str:
        return self.reason

    def covers_weekly(self, local: dt.datetime) -> bool:
        if self.start_time is None or self.duration_minutes is None:
            return False  # a one-off window (the constraint sets both on weekly ones)
        # A window may run past midnight: look at today's start and yesterday's.
        for back in (0, 1):
            day = local.date() - dt.timedelta(days=back)
            if day.weekday() != self.weekday:
                continue
            start = dt.datetime.combine(day, self.start_time, tzinfo=local.tzinfo)
            if start <= local < start + dt.timedelta(minutes=self.duration_minutes):
                return True
        return False

    def applies_to(self, camera: Camera | None = None, site: Site | None = None) -> bool:
        if camera is not None:
            village_id, site_id = camera.village_id, camera.site_id
        elif site is not None:
            village_id, site_id = site.village_id, site.pk
        else:
            raise TypeError("applies_to needs a camera or a site")
        if self.village_id != village_id:
            return False
        if self.camera_id:
            return camera is not None and camera.pk == self.camera_id
        if self.site_id:
            return site_id == self.site_id
        return True


class Round(models.Model):
    """One probe round (or one shard of it): what the health output reports."""

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField()
    shard = models.PositiveSmallIntegerField(default=0)
    shards = models.PositiveSmallIntegerField(default=1)
    cameras = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.shard}/{self.shards}"

    @property
    def duration(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()
