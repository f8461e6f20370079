"""Staff accounts, their scope, the audit log and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role


class User(AbstractUser):
    """A staff member. Residents are not users: they identify per request."""

    Role = Role

    role = models.CharField(_("peran"), max_length=30, choices=Role.choices, blank=True)
    village = models.ForeignKey(
        "regions.Village",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("desa/kelurahan"),
    )
    district = models.ForeignKey(
        "regions.District",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("kecamatan"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("OPD"),
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    # Service accounts stand behind API clients; they never log in.
    is_service = models.BooleanField(default=False, editable=False)

    def clean(self):
        super().clean()
        scope_field = {
            **dict.fromkeys(VILLAGE_ROLES, "village"),
            Role.DISTRICT_STAFF: "district",
            Role.AGENCY_STAFF: "agency",
        }.get(self.role)
        for field in ("village", "district", "agency"):
            if field == scope_field and getattr(self, f"{field}_id") is None:
                raise ValidationError({field: _("Peran ini memerlukan %(f)s.") % {"f": field}})
            if field != scope_field and getattr(self, f"{field}_id") is not None:
                raise ValidationError(
                    {field: _("Peran ini tidak terikat ke %(f)s.") % {"f": field}}
                )

    def has_perm(self, perm, obj=None) -> bool:
        # Regency admins hold every Django permission: the admin site is theirs
        # alone (BalaiAdminSite), and roles, not permissions, govern the rest.
        if self.is_active and self.role == Role.REGENCY_ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.role == Role.REGENCY_ADMIN:
            return True
        return super().has_module_perms(app_label)

    @property
    def is_village_staff(self) -> bool:
        return self.role in VILLAGE_ROLES

    @property
    def sees_whole_regency(self) -> bool:
        return self.role in REGENCY_ROLES

    @property
    def can_verify(self) -> bool:
        return self.role in VILLAGE_ROLES

    @property
    def can_sign(self) -> bool:
        return self.role == Role.VILLAGE_HEAD

    @property
    def requires_second_factor(self) -> bool:
        return self.role == Role.REGENCY_ADMIN

    @property
    def scope_label(self) -> str:
        target = self.village or self.district or self.agency
        return f"{self.get_role_display()} · {target}" if target else self.get_role_display()


# The action of an audited refusal (accounts.access).
DENIED = "access_denied"


class AuditLogQuerySet(models.QuerySet):
    def for_user(self, user):
        from balai.accounts.access import audit_rows_hidden_from_area, village_filter

        if not user.is_authenticated or not user.is_active:
            return self.none()
        rows = self
        if user.role != Role.REGENCY_ADMIN:
            # A denial names what was refused: read by its subject, it would tell
            # "exists but not yours" from "does not exist".
            rows = rows.exclude(action=DENIED)
        if user.sees_whole_regency:
            # Regency-wide rows (tokens, settings) have no village.
            return rows.filter(village_filter(user) | models.Q(village__isnull=True))
        if user.role == Role.AGENCY_STAFF:
            return rows.filter(user__agency_id=user.agency_id)
        return rows.filter(village_filter(user)).exclude(audit_rows_hidden_from_area())

    def filtered(self, *, action="", username="", date_from=None, date_to=None, village=None):
        """The rows matching the audit page's filters (dates in the local time zone)."""
        rows = self
        if action:
            rows = rows.filter(action=action)
        if username:
            rows = rows.filter(username__iexact=username.strip())
        if date_from:
            rows = rows.filter(at__date__gte=date_from)
        if date_to:
            rows = rows.filter(at__date__lte=date_to)
        if village is not None:
            rows = rows.filter(village=village)
        return rows

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")


class AuditLog(models.Model):
    """Append-only record of every write and every read of personal data."""

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    user = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    username = models.CharField(_("pengguna"), max_length=150, blank=True)
    role = models.CharField(_("peran"), max_length=30, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    action = models.CharField(_("tindakan"), max_length=60, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=60, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    village = models.ForeignKey(
        "regions.Village",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("log audit")
        verbose_name_plural = _("log audit")
        indexes = [models.Index(fields=["village", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


class ApiClient(models.Model):
    """An agency's or village's system calling the API; acts through a service user.

    The service user's role and village, district or agency are the client's
    reach (what its tokens read, which events it hears of); `scopes` is the
    most its tokens may be given (empty: any scope).
    """

    name = models.SlugField(_("nama"), max_length=60, unique=True)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    user = models.OneToOneField(User, models.PROTECT, related_name="api_client")
    scopes = models.JSONField(_("cakupan yang diizinkan"), default=list, blank=True)

    class Meta:
        verbose_name = _("aplikasi klien")
        verbose_name_plural = _("aplikasi klien")

    def __str__(self) -> str:
        return self.name

    def allows(self, scopes) -> bool:
        return not self.scopes or set(scopes) <= set(self.scopes)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token, stored as its SHA-256 only; the value is shown once."""

    PREFIX = "balai_"

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("awal token"), max_length=16, editable=False)
    scopes = models.JSONField(_("cakupan"), default=list)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    # Set when rotated: the old token works until its (shortened) expiry, the overlap.
    replaced_by = models.OneToOneField(
        "self", models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    rotated_at = models.DateTimeField(_("diganti"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @classmethod
    def new(cls, user, scopes, days, created_by=None, name=""):
        """Return (unsaved token, its secret value)."""
        value = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls(
            user=user,
            scopes=sorted(set(scopes)),
            name=name,
            created_by=created_by,
            digest=token_digest(value),
            hint=value[: len(cls.PREFIX) + 6],
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, value

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiCallQuerySet(models.QuerySet):
    def filtered(self, *, client=None, status=None):
        rows = self
        if client is not None:
            rows = rows.filter(client=client)
        if status is not None:
            rows = rows.filter(status__gte=status, status__lt=status + 100)
        return rows


class ApiCall(models.Model):
    """One call to the API with a token: who, which route, why, how it ended.

    The route is the URL pattern (`/api/v1/complaints/{public_id}`), never the
    path with its values, and the purpose is the caller's own `Balai-Purpose`
    header: no personal data is kept.
    """

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    client = models.ForeignKey(
        ApiClient, models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    token = models.ForeignKey(ApiToken, models.SET_NULL, null=True, related_name="calls")
    method = models.CharField(_("metode"), max_length=8)
    route = models.CharField(_("rute"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"))
    purpose = models.CharField(_("keperluan"), max_length=120, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"))

    objects = ApiCallQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("panggilan API")
        verbose_name_plural = _("panggilan API")
        indexes = [models.Index(fields=["client", "-at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.route} {self.status}"


class EnrolmentCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class EnrolmentCode(models.Model):
    """A one-time code, given out of band, without which an account that must use a
    second factor cannot set up its first authenticator (a password alone must not).
    Stored as a SHA-256 digest; shown once to whoever issued it."""

    ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread
    LENGTH = 12  # 60 bits, in three groups of four

    user = models.ForeignKey(User, models.CASCADE, related_name="enrolment_codes")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    objects = EnrolmentCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kode pendaftaran autentikator")
        verbose_name_plural = _("kode pendaftaran autentikator")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def new_value(cls) -> str:
        value = "".join(secrets.choice(cls.ALPHABET) for _ in range(cls.LENGTH))
        return "-".join(value[i : i + 4] for i in range(0, cls.LENGTH, 4))

    @staticmethod
    def digest_of(value: str) -> str:
        """The digest of a code as typed: case, spaces and dashes do not matter."""
        return token_digest("".join(value.split()).replace("-", "").upper())


class RateCounter(models.Model):
    """Events counted for one rate-limit key (a hash of group, key and period)
    in one fixed window; the table behind `balai.accounts.ratelimit`."""

    key = models.CharField(max_length=40)
    window_end = models.BigIntegerField()  # Unix time the window closes
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_end"], name="rate_counter_once")
        ]
        indexes = [models.Index(fields=["window_end"], name="rate_counter_expiry")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_end}: {self.count}"
