"""The residents registry's export rows (the writers are balai.lib.tables)."""

from django.utils.translation import gettext as _

from balai.residents.models import Resident

EXPORT_HEADERS = [
    "nik", "no_kk", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama",
    "pendidikan", "pekerjaan", "status_kawin", "hubungan_keluarga", "alamat", "dusun", "rt",
    "rw", "status",
]  # fmt: skip


def export_row(r: Resident) -> list:
    """One resident as a row of the registry export (full numbers: the export is audited)."""
    family = r.family
    return [
        r.nik,
        family.no_kk if family else "",
        r.name,
        r.get_sex_display(),
        r.birth_place,
        r.birth_date,
        r.get_religion_display() if r.religion else "",
        r.get_education_display() if r.education else "",
        r.get_occupation_display() if r.occupation else "",
        r.get_marital_status_display() if r.marital_status else "",
        r.get_relationship_display() if r.relationship else "",
        family.address if family else "",
        family.dusun if family else "",
        family.rt if family else "",
        family.rw if family else "",
        r.get_status_display(),
    ]


def own_data_rows(resident: Resident) -> list[tuple]:
    """(label, value) of everything held on a resident: their UU PDP right of access."""
    family = resident.family
    pairs = [
        (_("NIK"), resident.nik),
        (_("Nomor KK"), family.no_kk if family else ""),
        (_("Nama"), resident.name),
        (_("Jenis kelamin"), resident.get_sex_display()),
        (_("Tempat lahir"), resident.birth_place),
        (_("Tanggal lahir"), resident.birth_date),
        (_("Agama"), resident.get_religion_display() if resident.religion else ""),
        (_("Pendidikan"), resident.get_education_display() if resident.education else ""),
        (_("Pekerjaan"), resident.get_occupation_display() if resident.occupation else ""),
        (
            _("Status perkawinan"),
            resident.get_marital_status_display() if resident.marital_status else "",
        ),
        (
            _("Hubungan dalam keluarga"),
            resident.get_relationship_display() if resident.relationship else "",
        ),
        (_("Kewarganegaraan"), resident.get_citizenship_display()),
        (_("Golongan darah"), resident.get_blood_type_display() if resident.blood_type else ""),
        (_("Nama ayah"), resident.father_name),
        (_("NIK ayah"), resident.father_nik),
        (_("Nama ibu"), resident.mother_name),
        (_("NIK ibu"), resident.mother_nik),
        (_("Telepon"), resident.phone),
        (_("Alamat"), family.address if family else ""),
        (_("Dusun"), family.dusun if family else ""),
        (_("RT/RW"), f"{family.rt}/{family.rw}" if family else ""),
        (_("Desa"), str(resident.village)),
        (_("Status"), resident.get_status_display()),
    ]
    pairs += [
        (_("Peristiwa: %(kind)s") % {"kind": e.get_kind_display()}, e.date)
        for e in resident.events.all()
    ]
    return pairs
