"""PAdES signatures on letters (pyHanko), and checking them.

Signing makes a PAdES B-B signature (ETSI.CAdES.detached, SHA-256, no
timestamp: there is no timestamp server here) in an invisible field; the QR
code printed on the page does the visual job. `bytes_reserved` is fixed so
pyHanko does not sign once more just to measure the signature's size.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)

FIELD_NAME = "TandaTanganElektronik"
T = TypeVar("T")


def outside_event_loops(call: Callable[[], T]) -> T:
    """Run `call` in a thread without a running event loop. pyHanko's synchronous
    calls use asyncio.run, which refuses to run where a loop is already running
    (a thread serving async code, a test process driving a browser)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


BYTES_RESERVED = 16384
# A signing certificate must allow signatures: digitalSignature or nonRepudiation,
# as PDF readers accept (pyHanko alone would insist on nonRepudiation).
SIGNER_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


def sign_pdf(pdf: bytes, signer: signers.Signer, *, reason: str, location: str) -> bytes:
    """`pdf` with a PAdES B-B signature by `signer` appended as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME)
    )
    out = outside_event_loops(lambda: pdf_signer.sign_pdf(writer, bytes_reserved=BYTES_RESERVED))
    return out.getvalue()


@dataclass(frozen=True)
class VerificationResult:
    """What a PDF's signature says, in the terms the verification page shows."""

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    whole_document: bool
    signer_name: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_document


UNSIGNED = VerificationResult(
    signed=False, intact=False, valid=False, trusted=False, whole_document=False
)


def verify_pdf(
    pdf: bytes, trust_roots: Iterable[asn1_x509.Certificate] | None = None
) -> VerificationResult:
    """Check the last signature of `pdf` against `trust_roots` (default: pki.trust_roots()).

    Offline: no certificate is fetched and revocation is not checked (revocation of
    a letter is recorded by Balai itself). Anything unreadable counts as unsigned.
    """
    if trust_roots is None:
        from balai.letters.pki import trust_roots as configured_roots

        trust_roots = configured_roots()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a hostile upload may break the parser in any way
        log.info("verify_pdf: unreadable PDF: %r", exc)
        return UNSIGNED
    if not signatures:
        return UNSIGNED
    embedded = signatures[-1]
    context = ValidationContext(
        trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = outside_event_loops(
            lambda: validate_pdf_signature(embedded, context, key_usage_settings=SIGNER_KEY_USAGE)
        )
    except Exception as exc:  # pyHanko raises many kinds on malformed signatures
        log.info("verify_pdf: signature could not be validated: %s", exc)
        return VerificationResult(
            signed=True, intact=False, valid=False, trusted=False, whole_document=False
        )
    cert = status.signing_cert
    return VerificationResult(
        signed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_name=cert.subject.native.get("common_name", "") if cert else "",
        signed_at=status.signer_reported_dt,
    )
