from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from balai.accounts import actions, ratelimit
from balai.accounts.choices import Role, Scope
from balai.accounts.models import ApiClient, User
from balai.accounts.throttle import WINDOW_MINUTES, LoginThrottle
from balai.lib.fields import DateInput

INVALID_LOGIN = _("Nama pengguna atau kata sandi salah.")
THROTTLED = _(
    "Terlalu banyak percobaan masuk yang gagal. Tunggu %(minutes)d menit, lalu coba lagi."
)


class LoginForm(forms.Form):
    """Password sign-in; unknown users, wrong passwords and disabled accounts look alike."""

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.throttle = None
        super().__init__(*args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username", "").strip()
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        self.throttle = LoginThrottle(self.request, username)
        limit = self.throttle.blocked()
        if limit:
            actions.note_login_throttled(username, limit)
            raise ValidationError(THROTTLED, code="throttled", params={"minutes": WINDOW_MINUTES})
        user = authenticate(self.request, username=username, password=password)
        if user is None or user.is_service:
            self.throttle.record_failure()
            actions.note_login_failed(username, trusted_device=self.throttle.trusted)
            raise ValidationError(INVALID_LOGIN, code="invalid_login")
        self.user = user
        return self.cleaned_data


class TokenCodeForm(forms.Form):
    """A six-digit code from an authenticator app, checked against `device`."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=8,
        help_text=_("Enam angka dari aplikasi autentikator di ponsel Anda."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, device, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        allowed, _info = self.device.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                _("Terlalu banyak kode salah. Tunggu sebentar, lalu coba lagi."), code="throttled"
            )
        if not code.isdigit() or not self.device.verify_token(code):
            raise ValidationError(
                _("Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil."),
                code="invalid",
            )
        return code


ENROLMENT_FAILURES = "5/h"  # wrong enrolment codes per account


class EnrolmentCodeForm(forms.Form):
    """The one-time code an admin was given (by another admin or the server operator)
    before the authenticator's secret is shown."""

    enrolment_code = forms.CharField(
        label=_("Kode pendaftaran"),
        max_length=32,
        help_text=_(
            "Dua belas huruf dan angka yang diberikan admin lain atau pengelola server, "
            "misalnya K7QM-2XPA-9RTD."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_enrolment_code(self):
        value = self.cleaned_data["enrolment_code"]
        failures = ("enrolment-code", str(self.request.user.pk), ENROLMENT_FAILURES)
        if ratelimit.reached(failures) is not None:
            raise ValidationError(
                _("Terlalu banyak kode salah. Tunggu satu jam, lalu coba lagi."), code="throttled"
            )
        if not actions.redeem_enrolment_code(self.request, value):
            ratelimit.count(*failures)
            raise ValidationError(
                _(
                    "Kode pendaftaran salah, sudah dipakai, atau kedaluwarsa. "
                    "Minta kode baru kepada admin lain atau pengelola server."
                ),
                code="invalid",
            )
        return value


class TokenForm(forms.Form):
    """A new API token for a staff user or an API client."""

    owner = forms.ChoiceField(label=_("Pemilik token"))
    name = forms.CharField(label=_("Nama token"), max_length=100, required=False)
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(
        label=_("Berlaku (hari)"),
        min_value=1,
        max_value=730,
        initial=90,
        help_text=_("1 sampai 730 hari."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clients = ApiClient.objects.select_related("user").filter(user__is_active=True)
        staff = User.objects.filter(is_active=True, is_service=False).exclude(role="")
        self.fields["owner"].choices = [
            (_("Aplikasi klien"), [(f"client:{c.pk}", c.name) for c in clients]),
            (
                _("Staf"),
                [
                    (f"user:{u.pk}", f"{u.username} ({Role(u.role).label})")
                    for u in staff.order_by("username")
                ],
            ),
        ]

    def clean_owner(self):
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "client":
            return ApiClient.objects.select_related("user").get(pk=pk).user
        return User.objects.get(pk=pk)


class AuditFilterForm(forms.Form):
    """Filters on the audit log page; the village filter is checked against the scope."""

    action = forms.ChoiceField(label=pgettext_lazy("audit log", "Tindakan"), required=False)
    username = forms.CharField(label=_("Pengguna"), max_length=150, required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)

    def __init__(self, actions, villages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Semua")), *((a, a) for a in actions)]
        if villages is None:
            del self.fields["village"]
        else:
            self.fields["village"].choices = [
                ("", _("Semua")),
                *((v.code, f"{v.name} ({v.district.name})") for v in villages),
            ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir harus sama atau setelah tanggal awal."))
        return data
