import datetime
import io
import json

import pytest
from PIL import Image

from balai.letters.rendering import (
    LetterData,
    Letterhead,
    clean_text,
    format_date_id,
    render_letter,
    render_preview,
    sample_letter_data,
)
from balai.letters.tests.pdftools import (
    decode_qr_codes,
    first_page,
    link_annotations,
    pdftotext,
    xmp,
)

MM = 72 / 25.4


def letter(**overrides) -> LetterData:
    base = {
        "number": "470/012/35.08.01.2001/2026",
        "date": datetime.date(2026, 11, 28),
        "signer_name": "BUDI SANTOSO",
        "verification_url": "https://balai.example/v/7Q2M-XK4P-93RT-LW8A",
    }
    return sample_letter_data(**{**base, **overrides})


def test_it_prints_title_number_resident_and_signature_block():
    text = pdftotext(render_letter(letter()))

    assert "SURAT KETERANGAN DOMISILI" in text
    assert "Nomor: 470/012/35.08.01.2001/2026" in text
    assert "SITI WAHYUNI" in text
    assert "PEMERINTAH KABUPATEN LUMAJANG" in text
    assert "DESA TEMPURSARI" in text
    assert "Tempursari, 28 November 2026" in text
    assert "KEPALA DESA TEMPURSARI" in text
    assert "BUDI SANTOSO" in text
    assert "Pindai untuk memeriksa keaslian" in text


def test_it_is_pdf_a_2b():
    pdf = render_letter(letter())
    metadata = xmp(pdf)

    assert pdf.startswith(b"%PDF-")
    assert 'pdfaid:part="2"' in metadata or "<pdfaid:part>2</pdfaid:part>" in metadata
    assert 'pdfaid:conformance="B"' in metadata or "<pdfaid:conformance>B" in metadata


@pytest.mark.parametrize(("paper", "size_mm"), [("A4", (210, 297)), ("F4", (215, 330))])
def test_it_uses_the_chosen_paper_size(paper, size_mm):
    media_box = [float(v) for v in first_page(render_letter(letter(paper=paper)))["/MediaBox"]]

    assert media_box[2] == pytest.approx(size_mm[0] * MM, abs=0.5)
    assert media_box[3] == pytest.approx(size_mm[1] * MM, abs=0.5)


def test_it_refuses_an_unknown_paper_size():
    with pytest.raises(ValueError, match="paper"):
        letter(paper="Letter")


def test_it_links_a_qr_code_to_the_verification_page():
    pdf = render_letter(letter())
    (link,) = link_annotations(pdf)

    assert link["/A"]["/URI"] == "https://balai.example/v/7Q2M-XK4P-93RT-LW8A"
    # The link covers the printed QR code: a square 28 mm wide.
    x0, y0, x1, y1 = (float(v) for v in link["/Rect"])
    assert x1 - x0 == pytest.approx(28 * MM, abs=1)
    assert y1 - y0 == pytest.approx(28 * MM, abs=1)


def test_the_qr_code_scans_to_the_verification_url(tmp_path):
    pdf = render_letter(letter())

    assert decode_qr_codes(pdf, tmp_path) == ["https://balai.example/v/7Q2M-XK4P-93RT-LW8A"]


def test_it_leaves_the_qr_code_out_without_a_verification_url():
    pdf = render_letter(letter(verification_url=""))

    assert link_annotations(pdf) == []
    assert "Pindai untuk memeriksa keaslian" not in pdftotext(pdf)


@pytest.mark.parametrize(
    "name",
    [
        '#panic("jebol") *tebal* _miring_ $x^2$ <label> @ref',
        '"}, "title": "PALSU", "x": {"',
        '#{ read("/etc/passwd") } #import "x.typ": * \\ ] ) }',
        "`raw` = Judul // komentar /* blok */",
    ],
)
def test_it_prints_typst_markup_in_a_residents_name_literally(name):
    fields = [("Nama", name), ("NIK", "3508014207610001")]
    text = pdftotext(render_letter(letter(fields=fields, body=[f"Atas nama {name}."])))

    assert " ".join(name.split()) in text
    assert "SURAT KETERANGAN DOMISILI" in text


def test_it_places_the_resident_table_after_the_chosen_paragraph():
    data = letter(body=["Pembuka.", "Isi kedua.", "Penutup."], fields_after=2)
    text = pdftotext(render_letter(data))

    assert text.index("Isi kedua.") < text.index("SITI WAHYUNI") < text.index("Penutup.")


def test_it_prints_the_delegation_lines_above_the_position():
    data = letter(
        signer_authority=["a.n. KEPALA DESA TEMPURSARI", "SEKRETARIS DESA", "u.b."],
        signer_position="KAUR PEMERINTAHAN",
        signer_nip="19700101 199003 1 001",
    )
    text = pdftotext(render_letter(data))

    assert (
        text.index("a.n. KEPALA DESA TEMPURSARI")
        < text.index("u.b.")
        < text.index("KAUR PEMERINTAHAN")
        < text.index("BUDI SANTOSO")
        < text.index("NIP. 19700101 199003 1 001")
    )


def test_a_long_letter_numbers_its_pages_and_ends_with_the_signature_note():
    body = [f"Paragraf {i}. " + "Isi yang panjang sekali. " * 30 for i in range(12)]
    pdf = render_letter(letter(body=body))
    text = pdftotext(pdf)

    assert "Halaman 1 dari" in text
    assert text.index("BUDI SANTOSO") < text.rindex("Dokumen ini ditandatangani secara elektronik")
    assert text.count("Dokumen ini ditandatangani secara elektronik") == 1


def test_a_one_page_letter_has_no_page_number():
    assert "Halaman" not in pdftotext(render_letter(letter()))


def test_it_embeds_the_regency_logo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 80), (0, 120, 60)).save(buffer, "PNG")
    kop = Letterhead(
        district="KECAMATAN TEMPURSARI",
        village="DESA TEMPURSARI",
        address="Jl. Raya 1",
        logo_png=buffer.getvalue(),
    )
    resources = first_page(render_letter(letter(letterhead=kop)))["/Resources"]
    images = [
        x.get_object()
        for x in resources.get("/XObject", {}).values()
        if x.get_object().get("/Subtype") == "/Image"
    ]

    assert any(int(image["/Width"]) == 64 for image in images)


def test_it_refuses_a_logo_that_is_not_png():
    kop = Letterhead(district="K", village="D", address="A", logo_png=b"GIF89a....")

    with pytest.raises(ValueError, match="PNG"):
        render_letter(letter(letterhead=kop))


def test_it_prints_characters_the_fonts_lack_as_question_marks():
    # An emoji typed on a phone must not stop a letter: PDF/A forbids blank glyphs.
    fields = [("Nama", "SITI WAHYUNI"), ("Keperluan", "Melamar kerja 😀🙏 ꦗꦮ, segera")]
    text = pdftotext(render_letter(letter(fields=fields)))

    assert "Melamar kerja ?? ??, segera" in text


def test_it_drops_control_and_direction_override_characters():
    fields = [("Nama", "SITI\x00 \u202eWAHYUNI\u202c\ud800"), ("Pekerjaan", "Petani\tPekebun")]
    text = pdftotext(render_letter(letter(fields=fields)))

    assert "SITI WAHYUNI" in text
    assert "Petani Pekebun" in text


def test_clean_text_keeps_letters_and_line_breaks():
    assert clean_text("Đức Ñoño\r\nbaris dua") == "Đức Ñoño\nbaris dua"
    assert clean_text(None) == ""
    assert clean_text(42) == "42"


def test_a_preview_is_marked_and_has_no_number_or_signature():
    pdf = render_preview(title="SURAT KETERANGAN USAHA")
    text = pdftotext(pdf)

    assert "CONTOH" in pdftotext(pdf, "-raw")
    assert "SURAT KETERANGAN USAHA" in text
    assert "(diisi saat ditandatangani)" in text
    assert b"/ByteRange" not in pdf


def test_the_payload_is_json_only():
    # The data reaches Typst as one JSON document; nothing is spliced into the template.
    from balai.letters.rendering import _payload

    payload = _payload(letter(), preview=False, logo=None)

    assert json.loads(json.dumps(payload))["title"] == "SURAT KETERANGAN DOMISILI"
    assert payload["qr_svg"].startswith("<svg")


def test_it_writes_dates_in_indonesian():
    assert format_date_id(datetime.date(2026, 2, 1)) == "1 Februari 2026"
    assert format_date_id(datetime.date(2026, 8, 17)) == "17 Agustus 2026"


def test_it_recovers_when_its_scratch_directory_is_cleaned_away():
    import shutil

    from balai.letters.rendering import _renderer

    render_letter(letter())
    _compiler, root = _renderer._ready()
    shutil.rmtree(root)

    assert "SURAT KETERANGAN DOMISILI" in pdftotext(render_letter(letter()))
