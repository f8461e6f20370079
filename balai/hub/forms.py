"""The one form for a catalogue entry: staff pages and the API both use it."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import Role
from balai.agencies.models import Agency
from balai.hub.models import Service, Theme

FIELDS = [
    "name",
    "slug",
    "description",
    "audience",
    "requirements",
    "cost",
    "duration_days",
    "online_url",
    "office_address",
    "office_hours",
    "whatsapp",
    "phone",
    "app_url",
    "agency",
    "contact",
    "themes",
    "tags",
    "status",
    "health_url",
]


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ServiceForm(forms.ModelForm):
    class Meta:
        formfield_callback = _formfield
        model = Service
        fields = FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Kosongkan untuk dibuat dari nama.")
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["agency"].queryset = Agency.objects.active()
        if user.role != Role.REGENCY_ADMIN:
            # Agency staff keep their own agency's entries: the field is not theirs to set.
            del self.fields["agency"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Isi kode atau nama layanan."))
        taken = Service.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Kode ini sudah dipakai layanan lain."))
        return slug


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari layanan"), max_length=100, required=False)
