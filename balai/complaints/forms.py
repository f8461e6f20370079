from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import REGENCY_ROLES, VILLAGE_ROLES, Role
from balai.agencies.models import Agency
from balai.complaints import lookups
from balai.complaints.choices import Privacy, RejectReason, Status, UnitKind
from balai.complaints.models import Category
from balai.lib.phones import PhoneField
from balai.lib.uploads import clean_image
from balai.regions.geo import inside_regency, village_code_at
from balai.regions.models import Village

if TYPE_CHECKING:
    from balai.accounts.models import User

MAX_PHOTOS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to five photos; each is checked and re-encoded (EXIF and GPS removed)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "multiple": True})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS})
        cleaned = []
        for upload in files:
            try:
                cleaned.append(clean_image(upload))
            except ValidationError as exc:
                name = getattr(upload, "name", "")
                raise ValidationError(f"{name}: {' '.join(exc.messages)}") from None
        return cleaned


def village_choices():
    return Village.objects.active().select_related("district").order_by("district__name", "name")


class _Rows(forms.models.ModelChoiceIterator):
    """The field's choices, from `field.rows()` made when the choices are read."""

    def __init__(self, field):
        self.field = field

    @property
    def queryset(self):
        return self.field.rows()


class CachedChoiceField(forms.ModelChoiceField):
    """Rendered from `rows()` (a queryset made only when the choices are shown),
    checked against `lookup` (lookups' per-process copy of the same rows): a
    submission costs no query for it, nor the building or copying of one."""

    iterator = _Rows

    def __init__(self, rows, *, lookup, **kwargs):
        self.rows = rows
        super().__init__(None, **kwargs)
        self.lookup = lookup

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.lookup(str(value))
        if found is None:
            message = self.error_messages["invalid_choice"]
            raise ValidationError(message, code="invalid_choice", params={"value": value})
        return found


class VillageChoiceField(CachedChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {_('Kec.')} {obj.district.name}"


def _coordinate(label, limit):
    return forms.FloatField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class LocateForm(forms.Form):
    """Step one: what and where, so similar reports can be shown before writing."""

    category = CachedChoiceField(
        Category.objects.active,
        label=_("Kategori"),
        to_field_name="code",
        lookup=lookups.category,
        empty_label=_("Pilih kategori"),
    )
    village = VillageChoiceField(
        village_choices,
        label=_("Desa/kelurahan"),
        to_field_name="code",
        lookup=lookups.village,
        empty_label=_("Pilih desa/kelurahan"),
        # Without a village, the map point's (clean): what a tap on the map suggests.
        required=False,
        error_messages={
            "invalid_choice": _(
                "Desa/kelurahan ini tidak ada di kabupaten ini atau belum bergabung dengan Balai."
            )
        },
    )
    latitude = _coordinate(_("Lintang (opsional)"), 90)
    longitude = _coordinate(_("Bujur (opsional)"), 180)

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            raise ValidationError(_("Isi lintang dan bujur, atau kosongkan keduanya."))
        # The regency's loaded boundary decides (docs/maps.md); none loaded: cannot tell.
        if lat is not None and inside_regency(lng, lat) is False:
            self.add_error("latitude", _("Titik ini berada di luar wilayah kabupaten."))
        elif data.get("village") is None and "village" not in self.errors:
            self._village_from_point(data, lat, lng)
        return data

    def _village_from_point(self, data, lat, lng) -> None:
        code = village_code_at(lng, lat) if lat is not None else None
        village = lookups.village(code) if code else None
        if village is not None:
            data["village"] = village
        elif code:
            name = Village.objects.get(code=code)
            self.add_error(
                "village",
                _("Titik ini berada di %(village)s, yang belum bergabung dengan Balai.")
                % {"village": name},
            )
        else:
            self.add_error("village", _("Pilih desa/kelurahan, atau tandai titiknya di peta."))


class ReportForm(LocateForm):
    description = forms.CharField(
        label=_("Uraian"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa masalahnya, sejak kapan, dan di mana tepatnya. Maksimal 4.000 karakter."),
    )
    address = forms.CharField(
        label=_("Patokan lokasi"),
        max_length=200,
        required=False,
        help_text=_("Misalnya: depan balai desa, RT 002 / RW 005."),
    )
    photos = PhotosField(
        label=_("Foto (opsional, maksimal 5)"),
        required=False,
        help_text=_("JPG atau PNG, maksimal 5 MB per foto. Data lokasi di foto dihapus."),
    )
    privacy = forms.ChoiceField(
        label=_("Privasi"),
        choices=Privacy.choices,
        initial=Privacy.PUBLIC,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(label=_("Nama (opsional)"), max_length=100, required=False)
    reporter_email = forms.EmailField(label=_("Email (opsional)"), required=False)
    # Stored and sent to the gateway as 628... (balai/lib/phones.py), never as typed.
    reporter_phone = PhoneField(
        label=_("Nomor WhatsApp/HP (opsional)"),
        required=False,
        help_text=_("Untuk kabar perkembangan aduan. Tidak pernah ditampilkan ke publik."),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=60,
        help_text=_("Kode lacak panjang (28 huruf/angka) atau kode singkat (8 huruf/angka)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone_tail = forms.RegexField(
        label=_("4 angka terakhir nomor HP (untuk kode singkat)"),
        regex=r"^[0-9]{4}$",
        required=False,
        error_messages={"invalid": _("Tulis 4 angka terakhir nomor HP Anda, mis. 7890.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class FollowUpForm(forms.Form):
    """The reporter's comment and/or photo on their own report."""

    note = forms.CharField(
        label=_("Tambahan keterangan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=_("Foto tambahan (opsional)"),
        required=False,
        help_text=_("JPG atau PNG, maksimal 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return clean_image(photo) if photo else None


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai penanganan"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 = sangat puas, 1 = sangat tidak puas."),
    )
    rating_comment = forms.CharField(
        label=_("Komentar (opsional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveForm(NoteForm):
    photo = forms.FileField(label=_("Foto hasil (opsional)"), required=False)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_image(upload) if upload else None


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DispatchForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit tujuan"))
    note = forms.CharField(
        label=_("Instruksi"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Alasan disposisi ulang"),
        max_length=500,
        required=False,
        help_text=_("Wajib bila aduan sudah pernah didisposisikan."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = [(f"agency:{a.pk}", a.name) for a in Agency.objects.active()]
        self.fields["unit"].choices = [
            ("village", _("Pemerintah desa/kelurahan lokasi aduan")),
            *agencies,
        ]

    def clean_unit(self):
        from balai.complaints.routing import Unit

        value = self.cleaned_data["unit"]
        if value == "village":
            return Unit(UnitKind.VILLAGE)
        return Unit(UnitKind.AGENCY, int(value.split(":", 1)[1]))


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=RejectReason.choices)
    duplicate_of = forms.CharField(
        label=_("Duplikat dari (alamat atau id aduan)"), max_length=200, required=False
    )
    note = forms.CharField(
        label=_("Penjelasan untuk pelapor"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_duplicate_of(self):
        from balai.complaints.models import Complaint

        value = self.cleaned_data["duplicate_of"].strip().rstrip("/").rsplit("/", 1)[-1]
        if not value:
            return None
        found = Complaint.objects.filter(public_id=value).first()
        if found is None:
            raise ValidationError(_("Aduan dengan id ini tidak ditemukan."))
        return found


class AssignForm(forms.Form):
    """Only the unit's people are choices: anyone else, existing or not, is the same
    invalid choice (the API must not tell which usernames exist)."""

    assignee: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        queryset=None,
        label=_("Petugas"),
        required=False,
        error_messages={
            "invalid_choice": _("Bukan petugas unit yang menangani aduan ini."),
        },
    )

    def __init__(self, *args, people=None, by: str = "pk", **kwargs):
        super().__init__(*args, **kwargs)
        assignee = cast("forms.ModelChoiceField[User]", self.fields["assignee"])
        assignee.queryset = people
        assignee.to_field_name = by


def unit_people(complaint):
    """Who may be assigned a report: the active staff of the unit holding it."""
    from balai.accounts.models import User

    users = User.objects.filter(is_active=True, is_service=False)
    if complaint.unit_kind == UnitKind.AGENCY:
        return users.filter(role=Role.AGENCY_STAFF, agency_id=complaint.agency_id)
    if complaint.unit_kind == UnitKind.VILLAGE:
        return users.filter(role__in=VILLAGE_ROLES, village_id=complaint.village_id)
    return users.filter(role__in=REGENCY_ROLES)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "verify": OptionalNoteForm,
    "start": OptionalNoteForm,
    "respond": NoteForm,
    "note": NoteForm,
    "resolve": ResolveForm,
    "return": ReasonForm,
    "dispatch": DispatchForm,
    "reject": RejectForm,
    "close": OptionalNoteForm,
    "assign": AssignForm,
}


def error_text(form: forms.Form) -> str:
    """A form's errors in one line, each after its field's label."""
    return " ".join(
        f"{form.fields[f].label}: {' '.join(map(str, e))}"
        if f in form.fields
        else " ".join(map(str, e))
        for f, e in form.errors.items()
    )


def action_form(verb: str, complaint, data, files=None, *, people_by: str = "pk") -> forms.Form:
    """The bound form checking the input of `verb` (actions.VERBS), for page and API."""
    if verb == "assign":
        return AssignForm(data, people=unit_people(complaint), by=people_by)
    return ACTION_FORMS[verb](data, files)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua yang terbuka")), *Status.choices]
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        label=_("Kategori"),
        required=False,
        to_field_name="code",
        empty_label=_("Semua kategori"),
    )
    overdue = forms.BooleanField(label=_("Lewat batas waktu"), required=False)
    mine = forms.BooleanField(label=_("Ditugaskan ke saya"), required=False)

    def options(self, user) -> dict:
        """The chosen filters as ComplaintQuerySet.queue's arguments (the API's too)."""
        data = self.cleaned_data if self.is_valid() else {}
        category = data.get("category")
        return {
            "status": data.get("status") or None,
            "category": category.code if category else "",
            "overdue": data.get("overdue", False),
            "assignee": user if data.get("mine") else None,
        }


class PublicFilterForm(forms.Form):
    """The public list's filters, which its CSV export shares. A status it does not
    know is ignored; a category it does not know finds nothing."""

    kategori = forms.SlugField(required=False, max_length=40)
    status = forms.ChoiceField(required=False, choices=[("", ""), *Status.choices])

    def apply(self, complaints):
        self.is_valid()
        data = self.cleaned_data
        if "kategori" not in data and self.data.get("kategori"):
            return complaints.none()
        if data.get("kategori"):
            complaints = complaints.in_category(data["kategori"])
        if data.get("status"):
            complaints = complaints.filter(status=data["status"])
        return complaints

    def chosen(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}
