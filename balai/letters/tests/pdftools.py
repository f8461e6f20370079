"""Reading letters back in tests: poppler's tools where installed, pyHanko's reader otherwise."""

import io
import shutil
import subprocess
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from balai.core.tests.tools import missing_tool


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing_tool(f"{tool} is not installed (apt-get install poppler-utils libnss3-tools)")
    return path


def pdftotext(pdf: bytes, mode: str = "-layout") -> str:
    """The text of the PDF, whitespace collapsed (mode "-raw": in content stream order)."""
    out = subprocess.run(
        [need("pdftotext"), mode, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def reader(pdf: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(pdf), strict=False)


def first_page(pdf: bytes):
    return reader(pdf).root["/Pages"]["/Kids"][0].get_object()


def xmp(pdf: bytes) -> str:
    return reader(pdf).root["/Metadata"].get_object().data.decode()


def link_annotations(pdf: bytes) -> list:
    annots = [a.get_object() for a in first_page(pdf).get("/Annots", [])]
    return [a for a in annots if a.get("/Subtype") == "/Link"]


def pdfsig(pdf: bytes, workdir: Path, trusted_ca: Path | None = None) -> str:
    """poppler's pdfsig report, with an NSS database trusting only `trusted_ca`."""
    pdfsig, certutil = need("pdfsig"), need("certutil")
    nss = workdir / "nss"
    nss.mkdir()
    subprocess.run([certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    if trusted_ca is not None:
        subprocess.run(
            [certutil, "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "CT,C,C", "-i", trusted_ca],
            check=True,
        )
    letter = workdir / "letter.pdf"
    letter.write_bytes(pdf)
    return subprocess.run(
        [pdfsig, "-nssdir", f"sql:{nss}", str(letter)], capture_output=True, text=True
    ).stdout


def decode_qr_codes(pdf: bytes, workdir: Path) -> list[str]:
    """The QR codes a phone would read on page 1: poppler renders it, zbar decodes."""
    pdftoppm, zbarimg = need("pdftoppm"), need("zbarimg")
    page = workdir / "page"
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-singlefile", "-f", "1", "-", str(page)],
        input=pdf,
        check=True,
    )
    out = subprocess.run(
        [zbarimg, "-q", "--raw", f"{page}.png"], capture_output=True, text=True
    ).stdout
    return out.splitlines()
