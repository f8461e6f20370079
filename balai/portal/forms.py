import re

from django import forms
from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _

from balai.lib.phones import PhoneField
from balai.lib.uploads import ImageField
from balai.portal.actions import ANNOUNCEMENT_FIELDS, PROFILE_FIELDS
from balai.portal.hosts import host_name
from balai.portal.models import (
    Announcement,
    EmbedOrigin,
    VillageHost,
    VillageProfile,
    normalise_host,
    normalise_origin,
)
from balai.regions.models import Village

HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProfileForm(forms.ModelForm):
    # One stored form, 62..., for both (balai/lib/phones.py); shown as 0812-3456-7890.
    phone = PhoneField(label=_("telepon"), mobile=False, required=False)
    whatsapp = PhoneField(
        label=_("WhatsApp"), required=False, help_text=_("Contoh: 0812 3456 7890")
    )

    class Meta:
        model = VillageProfile
        fields = PROFILE_FIELDS
        widgets = {
            "about": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"latitude": _("Contoh: -8.354. Salin dari peta (klik kanan, koordinat).")}


class AnnouncementForm(forms.ModelForm):
    image = ImageField(
        label=_("Foto (opsional)"),
        required=False,
        help_text=_("JPG atau PNG, maksimal 5 MB. Data lokasi di foto dihapus."),
    )
    remove_image = forms.BooleanField(label=_("Hapus foto yang ada"), required=False)

    class Meta:
        model = Announcement
        fields = ANNOUNCEMENT_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "publish_at": DateTimeInput(),
            "expires_at": DateTimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.image):
            del self.fields["remove_image"]
        # A FileField on the model would hand us the raw upload; ours re-encodes it.
        self.fields["image"].widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png"})


class HostForm(forms.Form):
    host = forms.CharField(
        label=_("Nama host"),
        max_length=253,
        help_text=_("Contoh: sumberjati.lumajangkab.go.id (tanpa https:// dan tanpa garis miring)"),
    )
    village = forms.ModelChoiceField(
        label=_("Desa/kelurahan"),
        queryset=Village.objects.active().select_related("district").order_by("name"),
        empty_label=_("Pilih desa/kelurahan"),
    )

    def clean_host(self):
        host = normalise_host(self.cleaned_data["host"])
        if not HOST_RE.match(host):
            raise forms.ValidationError(
                _("Tulis nama host saja, misalnya sumberjati.lumajangkab.go.id.")
            )
        if host == host_name(settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]):
            raise forms.ValidationError(_("Ini alamat portal kabupaten; pilih nama host lain."))
        if not validate_host(host, settings.ALLOWED_HOSTS):
            domains = ", ".join(settings.BALAI_VILLAGE_HOST_DOMAINS) or "-"
            raise forms.ValidationError(
                _(
                    "Server belum menerima nama host ini. Nama host harus berada di bawah "
                    "domain %(domains)s (pengaturan BALAI_VILLAGE_HOST_DOMAINS)."
                )
                % {"domains": domains}
            )
        if VillageHost.objects.filter(host=host).exists():
            raise forms.ValidationError(_("Nama host ini sudah dipakai desa lain."))
        return host


class OriginForm(forms.Form):
    origin = forms.CharField(
        label=_("Alamat situs desa"),
        max_length=300,
        help_text=_("Contoh: https://sumberjati.desa.id (tanpa halaman atau garis miring)."),
    )

    def __init__(self, *args, village, **kwargs):
        self.village = village
        super().__init__(*args, **kwargs)

    def clean_origin(self):
        origin = normalise_origin(self.cleaned_data["origin"])
        if origin is None:
            raise forms.ValidationError(
                _("Tulis alamat situs lengkap, misalnya https://sumberjati.desa.id.")
            )
        if EmbedOrigin.objects.filter(village=self.village, origin=origin).exists():
            raise forms.ValidationError(_("Situs ini sudah terdaftar."))
        return origin


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari desa atau kecamatan"), max_length=100, required=False)


class TrackForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode lacak"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
