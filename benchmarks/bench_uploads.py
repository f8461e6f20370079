"""Uploads: checking a scanned PDF (issue 10.2) and re-encoding a phone photo.

Times `clean_pdf` (pypdf parse, walk every object, rewrite) on a scan of 1-3
MB, against two baselines in the same run: reading the bytes alone and, where
installed, pikepdf (qpdf) opening the file and walking every object the same
way. Target: well under a second per document on one core.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import stamp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")
os.environ.setdefault("BALAI_DATA_DIR", tempfile.mkdtemp(prefix="balai-bench-"))

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from balai.lib.tests import pdfs  # noqa: E402
from balai.lib.uploads import clean_image, clean_pdf  # noqa: E402

ROUNDS = 7


def timed(fn) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def pikepdf_walk(data: bytes):
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                list(obj.keys())


def main() -> None:
    print(f"{stamp()}, load {os.getloadavg()[0]:.1f}")
    print("| scan | size | read only | clean_pdf (pypdf) | pikepdf open+walk |")
    print("| --- | --- | --- | --- | --- |")
    for pages, side in ((1, 2000), (2, 2000), (4, 1800)):
        data = pdfs.scan(pages=pages, side=side)
        upload = SimpleUploadedFile("scan.pdf", data)
        base = timed(lambda: io.BytesIO(data).read())  # noqa: B023
        ours = timed(lambda: clean_pdf(upload))  # noqa: B023
        try:
            pike = f"{timed(lambda: pikepdf_walk(data)) * 1000:.1f} ms"  # noqa: B023
        except ImportError:
            pike = "not installed"
        size = f"{len(data) / 1e6:.1f} MB"
        print(f"| {pages} pages | {size} | {base * 1000:.2f} ms | {ours * 1000:.1f} ms | {pike} |")
    photo = io.BytesIO()
    pdfs.scan_image(side=3000).save(photo, "JPEG", quality=92)
    upload = SimpleUploadedFile("foto.jpg", photo.getvalue())
    took = timed(lambda: clean_image(upload))
    size = f"{len(photo.getvalue()) / 1e6:.1f} MB"
    print(f"| photo 3000 px (JPEG) | {size} | | clean_image {took * 1000:.0f} ms | |")


if __name__ == "__main__":
    main()
