"""Real PDFs for upload tests: a phone scan, and hostile files built by pypdf or by hand."""

import io
import random
import zlib

import pypdf
from PIL import Image
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def scan_image(side: int = 1400, seed: int = 1) -> Image.Image:
    """A page of paper with noise, as a camera sees it (compresses like a real scan)."""
    rng = random.Random(seed)
    noise = bytes(rng.randrange(180, 256) for _ in range((side // 4) * (side // 4)))
    small = Image.frombytes("L", (side // 4, side // 4), noise)
    return small.resize((side, int(side * 1.41))).convert("RGB")


def scan(pages: int = 2, side: int = 1400, seed: int = 1) -> bytes:
    """A scanned document as a phone scanner app writes it: JPEG pages in a PDF."""
    images = [scan_image(side, seed + n) for n in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def _writer() -> pypdf.PdfWriter:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(scan(pages=1, side=200))))
    return writer


def _written(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject("/" + key)] = value
    return action


def with_javascript() -> bytes:
    """A document-level script in the catalog's /Names tree."""
    writer = _writer()
    script = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.alert(1);")))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _written(writer)


def with_open_action() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = _action(
        "/URI", URI=TextStringObject("https://contoh.invalid/")
    )
    return _written(writer)


def with_page_action() -> bytes:
    writer = _writer()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/URI", URI=TextStringObject("https://contoh.invalid/"))}
    )
    return _written(writer)


def _with_annotation(subtype: str, **entries) -> bytes:
    writer = _writer()
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
        }
    )
    annot.update({NameObject("/" + key): value for key, value in entries.items()})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    return _written(writer)


def with_launch() -> bytes:
    return _with_annotation("/Link", A=_action("/Launch", F=TextStringObject("cmd.exe")))


def with_attachment() -> bytes:
    writer = _writer()
    writer.add_attachment("tagihan.exe", b"MZ not really a program")
    return _written(writer)


def with_xfa() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
        }
    )
    return _written(writer)


def with_rich_media() -> bytes:
    return _with_annotation("/RichMedia")


def encrypted() -> bytes:
    writer = _writer()
    writer.encrypt(user_password="", owner_password="rahasia")  # opens without a password
    return _written(writer)


def _classic(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF with a classic xref table; objects[i] is object i + 1."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


PAGE_TREE = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def plain_by_hand() -> bytes:
    return _classic([b"<< /Type /Catalog /Pages 2 0 R >>", *PAGE_TREE])


def escaped_names() -> bytes:
    """`/Open#41ction` and `/Java#53cript`: no raw-byte search finds these names."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 4 0 R >>"
    action = b"<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>"
    return _classic([catalog, *PAGE_TREE, action])


def in_object_stream(payload: bytes | None = None) -> bytes:
    """The catalog and its script inside a Flate object stream, found by an xref stream.

    With `payload`, the object stream inflates to that instead (a decompression bomb).
    """
    inner = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ]
    header = b"1 0 5 %d " % (len(inner[0]) + 1)
    body = inner[0] + b"\n" + inner[1]
    data = payload if payload is not None else header + body
    packed = zlib.compress(data, 9)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, text in ((2, PAGE_TREE[0]), (3, PAGE_TREE[1])):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, text))
    offsets[4] = out.tell()
    out.write(
        b"4 0 obj\n<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
    )
    out.write(packed + b"\nendstream\nendobj\n")
    offsets[6] = out.tell()
    rows = [
        b"\x00\x00\x00\x00\xff\xff",  # 0: free
        b"\x02\x00\x00\x00\x04\x00",  # 1: in object stream 4, index 0
        b"\x01" + offsets[2].to_bytes(4, "big") + b"\x00",
        b"\x01" + offsets[3].to_bytes(4, "big") + b"\x00",
        b"\x01" + offsets[4].to_bytes(4, "big") + b"\x00",
        b"\x02\x00\x00\x00\x04\x01",  # 5: in object stream 4, index 1
        b"\x01" + offsets[6].to_bytes(4, "big") + b"\x00",
    ]
    xref = b"".join(rows)
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n"
        % len(xref)
    )
    out.write(xref + b"\nendstream\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    return out.getvalue()


def hidden_after_the_end() -> bytes:
    """A clean PDF with a script object appended after %%EOF and no xref to it."""
    return plain_by_hand() + b"7 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n"
