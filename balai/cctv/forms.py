from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.accounts.access import visible_villages
from balai.accounts.choices import Role
from balai.agencies.models import Agency
from balai.cctv.choices import Purpose, State
from balai.cctv.models import Camera, MaintenanceWindow, Site
from balai.cctv.validation import URL_FIELDS, redacted, url_problem
from balai.lib.fields import DateInput
from balai.regions.models import District

STORED = _("tersimpan; kosongkan untuk tetap memakainya, isi untuk menggantinya")


class WriteOnlyInput(forms.TextInput):
    """A text box that never renders a value back (a camera's username)."""

    def format_value(self, value):
        return None


class VillageField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {_('Kec.')} {obj.district.name}"


def choose_labels(form) -> None:
    """The empty choice of each list says what to pick."""
    labels = {
        "village": _("Pilih desa/kelurahan"),
        "site": _("Pilih situs"),
        "camera": _("Pilih kamera"),
    }
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].empty_label = label


def manageable_villages(user):
    """Villages where `user` may place cameras (agency staff: anywhere in the regency)."""
    from balai.regions.models import Village

    if user.role in (Role.REGENCY_ADMIN, Role.AGENCY_STAFF):
        villages = Village.objects.active().select_related("district")
    else:
        villages = visible_villages(user).filter(is_active=True)
    return villages.order_by("district__name", "name")


class CameraForm(forms.ModelForm):
    """A camera's registry entry; credentials are write-only and never shown back."""

    username = forms.CharField(
        label=_("Nama pengguna kamera"),
        required=False,
        max_length=100,
        strip=False,
        widget=WriteOnlyInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Kata sandi kamera"),
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_credentials = forms.BooleanField(label=_("Hapus kredensial tersimpan"), required=False)

    class Meta:
        model = Camera
        fields = [
            "name",
            "village",
            "site",
            "location",
            "latitude",
            "longitude",
            "purpose",
            "owner_agency",
            "visibility",
            "make",
            "model",
            "installed_on",
            "rtsp_url",
            "onvif_url",
            "snapshot_url",
            "hls_url",
            "relay_path",
            "retention_days",
            "operator_contact",
        ]
        field_classes = {"village": VillageField}
        widgets = {"installed_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        villages = manageable_villages(user)
        self.fields["village"].queryset = villages
        self.fields["site"].queryset = Site.objects.filter(village__in=villages).select_related(
            "village"
        )
        choose_labels(self)
        if user.role == Role.REGENCY_ADMIN:
            self.fields["owner_agency"].queryset = Agency.objects.active()
            self.fields["owner_agency"].empty_label = _("Pemerintah desa")
        else:
            del self.fields["owner_agency"]  # the owner is the user's own unit
        if self.instance.has_credentials:
            self.fields["username"].help_text = STORED
            self.fields["password"].help_text = STORED
        else:
            del self.fields["clear_credentials"]
        for name in URL_FIELDS:
            self.fields[name].widget.attrs.update(inputmode="url", spellcheck="false")
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update(step="any", inputmode="decimal")

    def clean(self):
        data = super().clean()
        for name in URL_FIELDS:
            value = data.get(name, "")
            problem = url_problem(name, value)
            if problem:
                self.add_error(name, problem)
                # Re-shown to fix it: without the password or token it carried.
                self.data = self.data.copy()
                self.data[self.add_prefix(name)] = redacted(value)
        if not any(data.get(name) for name in URL_FIELDS):
            raise ValidationError(_("Isi paling tidak satu cara menghubungi kamera (URL)."))
        site, village = data.get("site"), data.get("village")
        if site and village and site.village_id != village.pk:
            self.add_error("site", _("Situs ini berada di desa lain."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("Isi lintang dan bujur, atau kosongkan keduanya."))
        return data


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "village", "host", "port", "notes"]
        field_classes = {"village": VillageField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = manageable_villages(user)
        choose_labels(self)

    def clean_host(self):
        host = self.cleaned_data["host"].strip()
        if host and ("/" in host or "@" in host or any(c.isspace() for c in host)):
            raise ValidationError(_("Isi nama host atau alamat IP saja, tanpa skema atau jalur."))
        return host


class SnapshotForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan melihat gambar"),
        min_length=5,
        max_length=200,
        help_text=_("Dicatat di log audit bersama nama Anda (UU PDP)."),
    )


class CameraFilters(forms.Form):
    """The filters of the camera lists, by village, district, owner and state."""

    desa = forms.CharField(label=_("Kode desa"), required=False, max_length=13)
    kecamatan = forms.ModelChoiceField(
        District.objects.in_regency(),
        label=_("Kecamatan"),
        required=False,
        to_field_name="code",
        empty_label=_("Semua kecamatan"),
    )
    pemilik = forms.ModelChoiceField(
        Agency.objects.active(),
        label=_("Pemilik (OPD)"),
        required=False,
        to_field_name="slug",
        empty_label=_("Semua pemilik"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *State.choices]
    )
    tujuan = forms.ChoiceField(
        label=_("Tujuan"), required=False, choices=[("", _("Semua")), *Purpose.choices]
    )

    def apply(self, cameras):
        if not self.is_valid():
            return cameras
        data = self.cleaned_data
        if data["desa"]:
            cameras = cameras.filter(village_id=data["desa"])
        if data["kecamatan"]:
            cameras = cameras.filter(village__district=data["kecamatan"])
        if data["pemilik"]:
            cameras = cameras.filter(owner_agency=data["pemilik"])
        if data["status"]:
            cameras = cameras.filter(state=data["status"])
        if data["tujuan"]:
            cameras = cameras.filter(purpose=data["tujuan"])
        return cameras


class MaintenanceForm(forms.ModelForm):
    """Planned work that holds alerts back: once (start and end) or every week."""

    class Meta:
        model = MaintenanceWindow
        fields = [
            "village",
            "site",
            "camera",
            "reason",
            "starts_at",
            "ends_at",
            "weekday",
            "start_time",
            "duration_minutes",
        ]
        field_classes = {"village": VillageField}
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = manageable_villages(user)
        self.fields["village"].queryset = villages
        self.fields["site"].queryset = Site.objects.filter(village__in=villages)
        self.fields["camera"].queryset = Camera.objects.for_user(user).select_related("village")
        choose_labels(self)

    def clean(self):
        data = super().clean()
        village = data.get("village")
        for name in ("site", "camera"):
            chosen = data.get(name)
            if chosen and village and chosen.village_id != village.pk:
                self.add_error(name, _("Pilihan ini berada di desa lain."))
        once = data.get("starts_at") and data.get("ends_at")
        weekly = (
            data.get("weekday") is not None
            and data.get("start_time")
            and data.get("duration_minutes")
        )
        if bool(once) == bool(weekly):
            raise ValidationError(
                _("Isi mulai dan selesai (sekali), atau hari, jam mulai dan lama (mingguan).")
            )
        if once and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Selesai harus sesudah mulai."))
        if once:
            data["weekday"] = data["start_time"] = data["duration_minutes"] = None
        else:
            data["starts_at"] = data["ends_at"] = None
        return data
