from django import forms
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import Role, Scope
from balai.accounts.models import ApiClient
from balai.agencies.models import Agency
from balai.notifications.events import Kind
from balai.regions.models import District, Village


class ClientForm(forms.Form):
    """A new API client: its name, its reach (the whole regency, a village, a
    district or an agency) and the most its tokens may be given."""

    name = forms.SlugField(label=_("Nama klien"), max_length=60, help_text=_("mis. simpeg-bkd"))
    description = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    reach = forms.ChoiceField(label=_("Jangkauan"))
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan yang diizinkan"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reach"].choices = [
            ("regency", _("Seluruh kabupaten")),
            (_("OPD"), [(f"agency:{a.pk}", a.name) for a in Agency.objects.active()]),
            (
                _("Kecamatan"),
                [(f"district:{d.pk}", d.name) for d in District.objects.in_regency()],
            ),
            (
                _("Desa/kelurahan"),
                [(f"village:{v.pk}", v.name) for v in Village.objects.in_regency().active()],
            ),
        ]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if ApiClient.objects.filter(name=name).exists():
            raise forms.ValidationError(_("Nama klien ini sudah dipakai."))
        return name

    def reach_fields(self) -> dict:
        """The service user's role and area for the chosen reach."""
        kind, _sep, pk = self.cleaned_data["reach"].partition(":")
        if kind == "agency":
            return {"role": Role.AGENCY_STAFF, "agency": Agency.objects.get(pk=pk)}
        if kind == "district":
            return {"role": Role.DISTRICT_STAFF, "district": District.objects.get(pk=pk)}
        if kind == "village":
            return {"role": Role.VILLAGE_OPERATOR, "village": Village.objects.get(pk=pk)}
        return {"role": Role.COMMAND_CENTER}


class SubscriptionForm(forms.Form):
    client = forms.ModelChoiceField(
        label=_("Aplikasi klien"), queryset=ApiClient.objects.filter(user__is_active=True)
    )
    url = forms.URLField(
        label=_("Alamat penerima"),
        max_length=500,
        assume_scheme="https",
        help_text=_("https, di alamat publik."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Jenis peristiwa"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class CallFilterForm(forms.Form):
    client = forms.ModelChoiceField(
        label=_("Aplikasi klien"), queryset=ApiClient.objects.all(), required=False
    )
