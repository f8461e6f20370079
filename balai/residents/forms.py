from django import forms
from django.utils.translation import gettext_lazy as _

from balai.lib.fields import DateInput, DigitsField
from balai.residents.choices import EventKind, Sex, Status
from balai.residents.importing import MAX_FILE_BYTES
from balai.residents.models import MIN_NIK_PREFIX, Family, Resident

SORTS = {
    "nama": ("name_key", "id"),
    "-nama": ("-name_key", "-id"),
    "lahir": ("birth_date", "id"),
    "-lahir": ("-birth_date", "-id"),
    "nik": ("nik",),
    "-nik": ("-nik",),
    "baru": ("-created_at", "-id"),
}


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari (NIK, no. KK atau nama)"), required=False, max_length=100)
    desa = forms.CharField(label=_("Kode desa"), required=False, max_length=13)
    dusun = forms.CharField(label=_("Dusun"), required=False, max_length=100)
    rw = forms.CharField(label=_("RW"), required=False, max_length=3)
    rt = forms.CharField(label=_("RT"), required=False, max_length=3)
    sex = forms.TypedChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=[("", _("Semua")), *list(Sex.choices)],
        coerce=int,
        empty_value=None,
    )
    status = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *list(Status.choices)],
        coerce=int,
        empty_value=None,
    )
    umur_min = forms.IntegerField(label=_("Umur dari"), required=False, min_value=0, max_value=150)
    umur_max = forms.IntegerField(
        label=_("Umur sampai"), required=False, min_value=0, max_value=150
    )
    urut = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("nama", _("Nama A-Z")),
            ("-nama", _("Nama Z-A")),
            ("lahir", _("Tertua dulu")),
            ("-lahir", _("Termuda dulu")),
            ("nik", _("NIK")),
            ("baru", _("Terbaru")),
        ],
    )

    def clean_q(self):
        q = self.cleaned_data["q"].strip()
        digits = q.replace(" ", "").replace(".", "")
        if digits.isdigit() and not (MIN_NIK_PREFIX <= len(digits) <= 16):
            raise forms.ValidationError(
                _(
                    "Ketik paling sedikit %(n)s angka awal NIK, atau 16 angka NIK/no. KK "
                    "lengkap (ada %(got)s angka)."
                )
                % {"n": MIN_NIK_PREFIX, "got": len(digits)}
            )
        return q

    def clean(self):
        data = super().clean()
        low, high = data.get("umur_min"), data.get("umur_max")
        if low is not None and high is not None and low > high:
            self.add_error("umur_max", _("Umur sampai harus sama atau lebih dari umur dari."))
        for key in ("rt", "rw"):
            if data.get(key) and data[key].isdigit():
                data[key] = data[key].zfill(3)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas data penduduk"),
        help_text=_(
            'Ekspor "Data Penduduk" dari OpenSID (.xlsx/.xls) atau lembar kerja .ods/.csv '
            "dengan kolom yang sama. Maksimal %(mb)s MB."
        )
        % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Uji coba saja (periksa tanpa menyimpan)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maksimal %(mb)s MB).")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".xls", ".ods", ".csv")):
            raise forms.ValidationError(_("Unggah berkas .xlsx, .xls, .ods atau .csv."))
        return upload


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Peristiwa"),
        choices=[
            (EventKind.DEATH, EventKind.DEATH.label),
            (EventKind.MOVE_OUT, EventKind.MOVE_OUT.label),
            (EventKind.MOVE_IN, EventKind.MOVE_IN.label),
        ],
    )
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=255)

    def clean_date(self):
        from django.utils import timezone

        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Tanggal peristiwa tidak boleh di masa depan."))
        return date


class MismatchForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan NIK dipertahankan"),
        max_length=255,
        min_length=10,
        help_text=_("Misalnya: tanggal lahir dikoreksi dengan akta; NIK tidak berubah."),
    )


class ResidentForm(forms.ModelForm):
    """A resident born into or moving into a family of the village."""

    kind = forms.ChoiceField(
        label=_("Peristiwa"),
        choices=[
            (EventKind.BIRTH, EventKind.BIRTH.label),
            (EventKind.MOVE_IN, EventKind.MOVE_IN.label),
        ],
    )
    event_date = forms.DateField(label=_("Tanggal peristiwa"), widget=DateInput())

    class Meta:
        model = Resident
        fields = [
            "nik", "name", "sex", "birth_place", "birth_date", "religion", "education",
            "occupation", "marital_status", "relationship", "blood_type", "father_name",
            "father_nik", "mother_name", "mother_nik", "phone", "nik_mismatch_reason",
        ]  # fmt: skip
        widgets = {"birth_date": DateInput()}
        # "NIK terdiri dari 16 angka; Anda mengetik 15." (balai/lib/fields.py)
        field_classes = {"nik": DigitsField}
        help_texts = {
            "nik_mismatch_reason": _(
                "Isi hanya jika NIK tidak cocok dengan tanggal lahir atau jenis kelamin."
            )
        }

    def __init__(self, *args, village, user=None, **kwargs):
        self.village = village
        self.user = user  # counted and audited when told a NIK is registered elsewhere
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = True
        self.fields["relationship"].required = True

    def clean_nik(self):
        from balai.regions.codes import compact
        from balai.residents.nik import is_temporary_nik

        nik = self.cleaned_data["nik"].strip()
        if is_temporary_nik(nik) and nik[1:11] != compact(self.village.code):
            raise forms.ValidationError(_("NIK sementara ini bukan untuk desa ini."))
        existing = Resident.objects.filter(nik=nik).values_list("village_id", flat=True).first()
        if existing is not None:
            if existing == self.village.pk:
                raise forms.ValidationError(_("NIK ini sudah terdaftar di desa ini."))
            from balai.residents.actions import (
                answer_registered_elsewhere,
                elsewhere_limit_message,
            )

            if self.user is not None and not answer_registered_elsewhere(
                self.user, [("nik", nik)], source="form"
            ):
                raise forms.ValidationError(elsewhere_limit_message())
            raise forms.ValidationError(
                _("NIK ini sudah terdaftar di desa lain; hubungi Dispendukcapil.")
            )
        return nik

    def clean(self):
        from django.utils import timezone

        from balai.residents.nik import nik_mismatches

        data = super().clean()
        today = timezone.localdate()
        for key in ("birth_date", "event_date"):
            if data.get(key) and data[key] > today:
                self.add_error(key, _("Tanggal tidak boleh di masa depan."))
        if data.get("nik") and not data.get("nik_mismatch_reason"):
            warnings = nik_mismatches(data["nik"], data.get("birth_date"), data.get("sex"))
            if warnings:
                self.add_error(
                    "nik_mismatch_reason",
                    " ".join(warnings)
                    + " "
                    + str(_("Periksa lagi, atau tuliskan alasan NIK tetap dipakai.")),
                )
        return data

    def validate_unique(self):
        pass  # clean_nik says it in words; the database constraint still holds


class CorrectionForm(forms.ModelForm):
    """What staff correct on a resident's record (actions.RESIDENT_FIELDS)."""

    class Meta:
        model = Resident
        fields = ["occupation", "marital_status", "education", "religion", "phone"]


class FamilyForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = ["address", "dusun", "rt", "rw"]

    def clean(self):
        data = super().clean()
        for key in ("rt", "rw"):
            if data.get(key) and data[key].isdigit():
                data[key] = data[key].zfill(3)
        return data


class SplitForm(forms.Form):
    """Members of a family who move to a new KK, and who heads it."""

    no_kk = forms.CharField(label=_("Nomor KK baru"), min_length=16, max_length=16)
    members = forms.ModelMultipleChoiceField(
        label=_("Anggota yang pindah ke KK baru"),
        queryset=Resident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu anggota.")},
    )
    head = forms.ModelChoiceField(
        label=_("Kepala keluarga di KK baru"),
        queryset=Resident.objects.none(),
        empty_label=_("Pilih kepala keluarga"),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        members = family.members.order_by("relationship", "birth_date")
        self.fields["members"].queryset = members
        self.fields["head"].queryset = members

    def clean_no_kk(self):
        from balai.residents.nik import kk_errors

        no_kk = self.cleaned_data["no_kk"].replace(" ", "")
        if problems := kk_errors(no_kk):
            raise forms.ValidationError(problems)
        return no_kk

    def clean(self):
        data = super().clean()
        if data.get("head") and data.get("members") and data["head"] not in data["members"]:
            self.add_error("head", _("Kepala keluarga baru harus salah satu anggota yang pindah."))
        return data
