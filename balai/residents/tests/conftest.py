import csv
import datetime as dt
import zipfile

import pytest

from balai.residents.actions import import_residents
from balai.residents.generate import Generator, as_sheet
from balai.residents.importing import OPENSID_COLUMNS
from balai.residents.models import Family, Resident
from balai.residents.nik import make_nik


def generate(village, count, seed=1):
    taken = set(Resident.objects.values_list("nik", flat=True))
    taken |= set(Family.objects.values_list("no_kk", flat=True))
    people = Generator(seed=seed, taken=taken).residents(village.code, count)
    result = import_residents(None, village, sheets=[as_sheet(people, count)])
    assert result.ok, result.problems[:3]
    return result


@pytest.fixture
def registry(cast):
    """Thirty generated residents in each of the cast's two villages."""
    generate(cast.village_a, 30, seed=1)
    generate(cast.village_b, 30, seed=2)
    return cast


def person(**overrides):
    """One OpenSID row as a dict (codes), valid unless overridden."""
    birth = overrides.pop("birth", dt.date(1985, 3, 14))
    sex = overrides.get("sex", 1)
    row = {
        "alamat": "Jl. Raya No. 1",
        "dusun": "Krajan",
        "rw": "001",
        "rt": "002",
        "nama": "Budi Santoso",
        "no_kk": "3508011403100001",
        "nik": make_nik("350801", birth, 1 if sex in (1, "L") else 2, 1),
        "sex": 1,
        "tempatlahir": "Lumajang",
        "tanggallahir": birth.isoformat(),
        "agama_id": 1,
        "pendidikan_kk_id": 5,
        "pekerjaan_id": 9,
        "status_kawin": 2,
        "kk_level": 1,
        "warganegara_id": 1,
        "golongan_darah_id": 13,
        "status_dasar": 1,
    }
    row.update(overrides)
    return row


def write_csv(path, people, columns=OPENSID_COLUMNS, end_marker=False):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for p in people:
            writer.writerow([p.get(c, "") for c in columns])
        if end_marker:
            writer.writerow(["", "###"])
            writer.writerow(["", "", "", "", "Bukan Data", "1", "2"])
    return path


@pytest.fixture(autouse=True)
def _indonesian():
    """A page asked for in English leaves English active in the thread: reset to Indonesian."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def write_ods(path, rows, extra: str = ""):
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it; `extra`: raw rows."""
    from xml.sax.saxutils import escape

    def cell(value):
        return (
            '<table:table-cell office:value-type="string"><text:p>'
            f"{escape(str(value))}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Data Penduduk">'
        f"{body}{extra}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def upload(client, path, **extra):
    """Send a file through the import page, as the operator's browser does."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    with open(path, "rb") as f:
        data = SimpleUploadedFile(path.name, f.read())
    return client.post(reverse("residents:import"), {"file": data, **extra})
