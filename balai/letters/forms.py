"""Forms for residents (request, correction, identification, PIN) and staff."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.letters import actions, identity, placeholders
from balai.letters.choices import FieldKind
from balai.letters.models import (
    LetterSettings,
    LetterType,
    RequestDocument,
    VillageLetterSettings,
)
from balai.lib.fields import DateField, DigitsField
from balai.lib.numbers import IndonesianDecimalField
from balai.lib.phones import PhoneField
from balai.lib.uploads import DocumentField, ImageField

LOGO_MAX_BYTES = 1024 * 1024

EXTRA = "isian_"
UPLOAD = "syarat_"


class IdentifyForm(forms.Form):
    """NIK + no. KK + date of birth; matched against the registry in `identify`."""

    nik = DigitsField(label=_("NIK"), help_text=_("16 angka, seperti tertulis di KTP."))
    no_kk = DigitsField(
        label=_("Nomor KK"),
        name=_("Nomor KK"),
        help_text=_("16 angka, seperti tertulis di Kartu Keluarga."),
    )
    birth_date = DateField(label=_("Tanggal lahir"))

    def __init__(
        self, *args, http_request=None, village=None, resident=None, also_limits=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.http_request = http_request
        self.also_limits = tuple(also_limits)  # read in the same query as identification's
        self.throttle = None  # set by identify(); trusts the device after a success
        self.village = village
        self.expected_resident = resident
        self.resident = None

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        return value

    def clean(self):
        data = super().clean()
        if self.errors or not all(k in data for k in ("nik", "no_kk", "birth_date")):
            return data
        self.identify(data)
        return data

    def identify(self, data) -> None:
        nik = data["nik"]
        self.throttle = identity.throttle(self.http_request, nik, self.also_limits)
        if self.throttle.blocked():
            raise forms.ValidationError(identity.TOO_MANY, code="rate_limited")
        village = self.village or (self.expected_resident and self.expected_resident.village)
        found = identity.find_resident(village, nik, data["no_kk"], data["birth_date"])
        if found is None or (
            self.expected_resident is not None and found.pk != self.expected_resident.pk
        ):
            self.throttle.record_failure()
            raise forms.ValidationError(identity.MISMATCH, code="mismatch")
        self.resident = found


def extra_form_field(spec: dict) -> forms.Field:
    kind, label, required = spec.get("kind", "text"), spec["label"], bool(spec.get("required"))
    if kind == FieldKind.NUMBER:
        # "1.500.000", "Rp 900.000", "2,5" (balai/lib/numbers.py)
        return IndonesianDecimalField(
            label=label, required=required, max_digits=15, decimal_places=2
        )
    if kind == FieldKind.DATE:
        return DateField(label=label, required=required)
    if kind == FieldKind.CHOICE:
        choices = [("", _("Pilih salah satu"))] + [(c, c) for c in spec.get("choices", [])]
        return forms.ChoiceField(label=label, required=required, choices=choices)
    return forms.CharField(label=label, required=required, max_length=200)


def stored_value(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


class LetterRequestForm(IdentifyForm):
    """A request for one letter type: identity, purpose, the type's fields,
    requirement uploads and how to reach the resident."""

    purpose = forms.CharField(
        label=_("Keperluan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Untuk apa surat ini, mis. persyaratan melamar pekerjaan."),
    )
    phone = PhoneField(label=_("Nomor WhatsApp/telepon"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, letter_type: LetterType, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter_type = letter_type
        self.existing = existing  # a returned request being corrected
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        if existing is not None:
            # The correction page opens with the tracking code alone (which may be
            # shared): nothing stored is shown before the resident identifies again.
            del self.fields["idempotency_key"]
        order = ["nik", "no_kk", "birth_date", "purpose"]
        for spec in letter_type.extra_fields:
            name = EXTRA + spec["name"]
            self.fields[name] = extra_form_field(spec)
            order.append(name)
        have = {d.key for d in existing.documents.all()} if existing is not None else set()
        for item in letter_type.uploads:
            name = UPLOAD + item["key"]
            required = bool(item.get("required")) and item["key"] not in have
            self.fields[name] = DocumentField(
                label=item["label"],
                required=required,
                help_text=(
                    _("Sudah diunggah; unggah lagi hanya untuk mengganti.")
                    if item["key"] in have
                    else _("Foto (JPG/PNG) atau PDF, maksimal 5 MB.")
                ),
            )
            order.append(name)
        self.order_fields([*order, "phone", "email"])

    def submit(self, *, count_for: str | None):
        """Submit this valid form as a new request: (request, created); see actions."""
        return actions.submit_request(
            village=self.village,
            letter_type=self.letter_type,
            resident=self.resident,
            purpose=self.cleaned_data["purpose"],
            values=self.values,
            phone=self.cleaned_data["phone"],
            email=self.cleaned_data["email"],
            documents=self.documents,
            idempotency_key=self.cleaned_data["idempotency_key"],
            count_for=count_for,
            checked=True,
        )

    def clean(self):
        data = forms.Form.clean(self)
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Isi nomor WhatsApp/telepon atau email agar kami dapat mengabari Anda.")
            )
        if self.errors or not all(k in data for k in ("nik", "no_kk", "birth_date")):
            return data
        self.identify(data)
        return data

    @property
    def values(self) -> dict[str, str]:
        return {
            spec["name"]: stored_value(self.cleaned_data.get(EXTRA + spec["name"]))
            for spec in self.letter_type.extra_fields
        }

    @property
    def documents(self) -> list:
        found = []
        for item in self.letter_type.uploads:
            content = self.cleaned_data.get(UPLOAD + item["key"])
            if content:
                found.append((item["key"], item["label"], content))
        return found

    def extra_fields(self):
        return [self[EXTRA + spec["name"]] for spec in self.letter_type.extra_fields]


class PinLoginForm(forms.Form):
    nik = DigitsField(
        label=_("NIK"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "current-password"}
        ),
    )

    def __init__(self, *args, http_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.http_request = http_request
        self.pin_record = None
        self.throttle = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.throttle = identity.throttle(self.http_request, data["nik"])
        if self.throttle.blocked():
            raise forms.ValidationError(identity.TOO_MANY, code="rate_limited")
        found = identity.check_pin(data["nik"], data["pin"])
        if found is None:
            self.throttle.record_failure()
            raise forms.ValidationError(identity.PIN_MISMATCH, code="mismatch")
        self.pin_record = found
        return data


class PinChangeForm(forms.Form):
    new_pin = forms.CharField(
        label=_("PIN baru"),
        min_length=6,
        max_length=12,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
        help_text=_("Minimal 6 angka; jangan tanggal lahir atau angka berurutan."),
    )
    again = forms.CharField(
        label=_("Ulangi PIN baru"),
        max_length=12,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, resident=None, record=None, http_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        self.record = record
        self.http_request = http_request
        if record is not None and not record.must_change:
            # A PIN the resident chose is changed only by someone who knows it.
            self.fields["current_pin"] = forms.CharField(
                label=_("PIN saat ini"),
                max_length=12,
                widget=forms.PasswordInput(
                    attrs={"inputmode": "numeric", "autocomplete": "current-password"}
                ),
            )
            self.order_fields(["current_pin", "new_pin", "again"])

    def clean_current_pin(self):
        from django.contrib.auth.hashers import check_password

        pin = self.cleaned_data["current_pin"]
        throttle = identity.throttle(self.http_request, self.record.resident.nik)
        if throttle.blocked():
            raise forms.ValidationError(identity.TOO_MANY, code="rate_limited")
        if not check_password(pin, self.record.pin_hash):
            throttle.record_failure()
            raise forms.ValidationError(_("PIN saat ini salah."), code="mismatch")
        return pin

    def clean_new_pin(self):
        pin = self.cleaned_data["new_pin"]
        if not pin.isdigit():
            raise forms.ValidationError(_("PIN hanya boleh berisi angka."))
        if len(set(pin)) == 1 or pin in "01234567890123456789" or pin in "9876543210987654321":
            raise forms.ValidationError(_("PIN terlalu mudah ditebak."))
        birth = self.resident.birth_date if self.resident else None
        if birth and pin in {birth.strftime("%d%m%y"), birth.strftime("%d%m%Y")}:
            raise forms.ValidationError(_("Jangan memakai tanggal lahir sebagai PIN."))
        return pin

    def clean(self):
        data = super().clean()
        if data.get("new_pin") and data.get("new_pin") != data.get("again"):
            self.add_error("again", _("Kedua PIN tidak sama."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dibaca oleh pemohon."),
    )


class CollectForm(forms.Form):
    collected_by = forms.CharField(
        label=_("Diambil oleh"),
        max_length=150,
        help_text=_("Nama orang yang mengambil surat (pemohon atau yang diberi kuasa)."),
    )


class PinIssueForm(forms.Form):
    nik = DigitsField(label=_("NIK penduduk"))


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(
        label=_("Berkas PDF surat"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_(
            "Balai membandingkan isi berkas dengan surat yang diterbitkan: satu huruf saja "
            "berubah, hasilnya tidak cocok. Berkas tidak disimpan."
        ),
    )

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 10 MB)."))
        return upload


class VillageSettingsForm(forms.ModelForm):
    enabled_types = forms.ModelMultipleChoiceField(
        label=_("Jenis surat yang dilayani"),
        queryset=LetterType.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    secretary_types = forms.ModelMultipleChoiceField(
        label=_("Jenis surat yang boleh ditandatangani sekretaris a.n. kepala desa/lurah"),
        queryset=LetterType.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VillageLetterSettings
        fields = [
            "address",
            "uses_verification",
            "uses_secretary_check",
            "allows_download",
            "numbers_per_type",
            "secretary_signs",
            "secretary_types",
        ]
        help_texts = {
            "address": _(
                "Dicetak di kop surat bila Profil desa belum memuat alamat kantor; "
                "alamat di Profil desa didahulukan."
            )
        }

    def __init__(self, *args, may_delegate: bool = False, **kwargs):
        """`may_delegate`: this user (the head) decides who signs in their name;
        for anyone else the signing fields are shown but not changed."""
        super().__init__(*args, **kwargs)
        if not may_delegate:
            for name in ("secretary_signs", "secretary_types"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Hanya kepala desa/lurah yang dapat mengubah ini.")


class LetterTypeForm(forms.ModelForm):
    class Meta:
        model = LetterType
        fields = [
            "code",
            "name",
            "title",
            "short_code",
            "classification",
            "description",
            "body",
            "requirements",
            "extra_fields",
            "validity_days",
            "sla_days",
            "number_format",
            "online",
            "is_active",
            "order",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "extra_fields": forms.Textarea(attrs={"rows": 4}),
        }

    def preview_text(self) -> list[str]:
        """The body filled with sample data (only when it is valid)."""
        letter_type = self.instance
        fields = [(f["name"], f["label"]) for f in letter_type.extra_fields]
        values = placeholders.sample_values(fields)
        return [placeholders.fill(p, values) for p in placeholders.paragraphs(letter_type.body)]


class RegencySettingsForm(forms.ModelForm):
    # The logo is re-encoded from its pixels (balai.lib.uploads), like every upload.
    logo = ImageField(
        label=_("Logo kabupaten"),
        required=False,
        max_bytes=LOGO_MAX_BYTES,
        help_text=_("Dicetak di kop surat setiap desa. PNG atau JPG, maksimal 1 MB."),
    )

    class Meta:
        model = LetterSettings
        fields = ["number_format", "paper", "logo"]


REUSE = "pakai_"


class SignedInRequestForm(LetterRequestForm):
    """A request by a resident signed in with their PIN (layanan mandiri).

    NIK, KK and birth date are not typed: they are the registry's, shown
    locked on the page. A requirement they gave for an earlier request can be
    attached again: the choices are only that resident's own documents."""

    IDENTITY = ("nik", "no_kk", "birth_date")

    def __init__(self, *args, signed_in, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.IDENTITY:
            del self.fields[name]
        self.resident = signed_in
        self.reusable: dict[str, RequestDocument] = {}
        earlier: dict[str, list[RequestDocument]] = {}
        for document in RequestDocument.objects.given_by(signed_in):
            earlier.setdefault(document.key, []).append(document)
        order = list(self.fields)
        for item in self.letter_type.uploads:
            documents = earlier.get(item["key"])
            if not documents:
                continue
            upload = UPLOAD + item["key"]
            self.fields[upload].required = False  # one of the two: checked in clean()
            self.fields[upload].help_text = _("Atau unggah berkas baru (JPG/PNG/PDF, maks. 5 MB).")
            self.fields[REUSE + item["key"]] = forms.ChoiceField(
                label=_("%(label)s: pakai yang pernah Anda kirim") % {"label": item["label"]},
                required=False,
                choices=[("", _("— Tidak, unggah berkas baru —"))]
                + [(str(d.uuid), _reuse_label(d)) for d in documents],
            )
            self.reusable.update({str(d.uuid): d for d in documents})
            order.insert(order.index(upload), REUSE + item["key"])
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        for item in self.letter_type.uploads:
            key = item["key"]
            if (
                item.get("required")
                and REUSE + key in self.fields
                and not data.get(UPLOAD + key)
                and not data.get(REUSE + key)
            ):
                self.add_error(
                    UPLOAD + key, _("Pilih berkas yang pernah Anda kirim atau unggah yang baru.")
                )
        return data

    @property
    def documents(self) -> list:
        found = super().documents
        given = {key for key, _label, _content in found}
        for item in self.letter_type.uploads:
            chosen = self.cleaned_data.get(REUSE + item["key"])
            if item["key"] not in given and chosen:
                found.append((item["key"], item["label"], self.reusable[chosen].copy()))
        return found


def _reuse_label(document) -> str:
    day = timezone.localtime(document.uploaded_at).strftime("%d/%m/%Y")
    return _("%(label)s, dikirim %(day)s untuk %(type)s") % {
        "label": document.label,
        "day": day,
        "type": document.request.letter_type.name,
    }
