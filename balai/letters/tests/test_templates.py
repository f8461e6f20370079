"""Letter types and their body templates: placeholders are data, never code."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balai.letters import numbering, placeholders
from balai.letters.models import LetterType


def test_the_catalogue_has_the_regencys_letter_types(db):
    codes = set(LetterType.objects.values_list("code", flat=True))
    assert len(codes) >= 12
    assert {
        "domisili",
        "tidak-mampu",
        "usaha",
        "kehilangan",
        "kelahiran",
        "kematian",
        "belum-menikah",
        "penghasilan",
        "pengantar-skck",
        "pengantar-nikah",
        "pindah",
        "pengantar",
    } <= codes
    for letter_type in LetterType.objects.all():
        letter_type.full_clean()  # every shipped body uses known placeholders only
        assert letter_type.classification


def test_placeholders_are_filled_as_plain_text():
    body = "Nama {{ penduduk.nama }}, keperluan {{keperluan}}."
    values = {"penduduk.nama": "SITI", "keperluan": "{{ penduduk.nik }} {% load x %}"}
    # A value that looks like a placeholder stays as the text it is.
    assert (
        placeholders.fill(body, values) == "Nama SITI, keperluan {{ penduduk.nik }} {% load x %}."
    )


@pytest.mark.parametrize(
    "body",
    [
        "{{ penduduk.password }}",
        "{{ penduduk.nama.__class__ }}",
        "{{ settings.SECRET_KEY }}",
        "{{ penduduk.nama|upper }}",
        "{{ isian.tidak_ada }}",
        "buka {{ penduduk.nama",
    ],
)
def test_unknown_or_malformed_placeholders_cannot_be_saved(db, body):
    letter_type = LetterType.objects.get(code="domisili")
    letter_type.body = body
    with pytest.raises(ValidationError) as error:
        letter_type.full_clean()
    assert "body" in error.value.message_dict


def test_a_types_extra_fields_are_known_placeholders_of_that_type_only(db):
    body = "Usaha {{ isian.nama_usaha }}."
    usaha = LetterType.objects.get(code="usaha")
    assert "nama_usaha" in usaha.field_names
    usaha.body = body
    usaha.full_clean()  # accepted: the type asks for nama_usaha
    assert placeholders.fill(body, {"isian.nama_usaha": "WARUNG SITI"}) == "Usaha WARUNG SITI."
    domisili = LetterType.objects.get(code="domisili")
    domisili.body = body  # domisili has no such field
    with pytest.raises(ValidationError) as error:
        domisili.full_clean()
    assert "body" in error.value.message_dict


def test_number_formats_are_checked_and_filled_without_str_format():
    assert numbering.format_problems(numbering.DEFAULT_FORMAT) == []
    assert numbering.format_problems("{klasifikasi}/{tahun}")  # no {nomor}
    assert numbering.format_problems("{nomor}/{0.__class__}")
    assert numbering.example(numbering.DEFAULT_FORMAT) == "470/012/35.08.01.2001/2026"


def test_the_admin_previews_a_template_on_sample_data(client, login_as, cast):
    login_as(cast.admin)
    url = reverse("letters:type-edit", args=["domisili"])
    data = client.get(url).context["form"].initial
    data = {k: v for k, v in data.items() if v is not None and k != "id"}
    data["requirements"] = '[{"key": "ktp", "label": "Foto KTP-el", "upload": true}]'
    data["extra_fields"] = "[]"
    data["body"] = "Nama {{ penduduk.nama }} untuk {{ keperluan }}."
    data["online"] = "on"
    data["is_active"] = "on"
    data["action"] = "preview"
    response = client.post(url, data)
    assert response.context["preview"] == [
        "Nama SITI WAHYUNI untuk persyaratan pendaftaran sekolah anak."
    ]
    assert LetterType.objects.get(code="domisili").body != data["body"]  # not saved
    pdf = client.post(url, {**data, "action": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    data["body"] = "Nama {{ penduduk.rahasia }}"
    data["action"] = "save"
    response = client.post(url, data)
    assert "tidak dikenal" in response.context["form"].errors["body"][0]
    data["body"] = "Nama {{ penduduk.nama }}."
    assert client.post(url, data).status_code == 302
    assert LetterType.objects.get(code="domisili").body == "Nama {{ penduduk.nama }}."


def test_only_the_regency_admin_edits_the_catalogue(client, login_as, cast):
    login_as(cast.head_a)
    assert client.get(reverse("letters:type-list")).status_code == 403
    assert client.get(reverse("letters:type-edit", args=["domisili"])).status_code == 403
    login_as(cast.admin)
    assert client.get(reverse("letters:type-list")).status_code == 200
