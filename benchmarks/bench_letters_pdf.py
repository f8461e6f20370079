"""Letters: render (Typst, PDF/A-2b), QR, sign (pyHanko PAdES) and hash, per letter.

Target (issue 4): issuing sustains at least 40 letters/s on this 2-core machine;
this measures the document part of issuing (numbering and storing are the
workflow's, measured with it). Each letter has its own name, number and QR URL,
so Typst's caches cannot replay a previous letter.

Baseline in the same run: pyHanko's signer as shipped (the key re-parsed on
every signature, no `bytes_reserved`, so it signs twice to learn the size).
"""

import hashlib
import multiprocessing
import os
import secrets
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import setup_django, stamp

N = 300  # letters per measurement on one core
N_BASELINE = 60


def letters(n: int, seed: int = 0):
    import datetime

    from balai.letters.rendering import sample_letter_data

    names = ["SITI WAHYUNI", "BUDI SANTOSO", "AHMAD FAUZI", "DEWI LESTARI", "SUKARMIN"]
    return [
        sample_letter_data(
            number=f"470/{seed * 100000 + i + 1:03}/35.08.01.2001/2026",
            date=datetime.date(2026, 11, 28),
            signer_name="SUPRIYADI",
            fields=[
                ("Nama", f"{names[i % len(names)]} {i}"),
                ("NIK", f"35080142076{i:05}"),
                ("Alamat", f"Dusun Krajan RT {i % 9 + 1:03} / RW 005, Desa Tempursari"),
            ],
            verification_url=f"https://balai.lumajangkab.go.id/v/{secrets.token_urlsafe(20)}",
        )
        for i in range(n)
    ]


def head(username: str):
    village = SimpleNamespace(name="Tempursari")
    return SimpleNamespace(username=username, village=village, get_full_name=lambda: "Supriyadi")


def issue(data, signer) -> str:
    from balai.letters.rendering import render_letter
    from balai.letters.signing import sign_pdf

    pdf = render_letter(data)
    signed = sign_pdf(pdf, signer, reason=f"Surat {data.number}", location="Tempursari")
    return hashlib.sha256(signed).hexdigest()


def worker(data_dir: str, count: int, seed: int, barrier, results) -> None:
    """One process issuing its share (the 2-core figure); times only the issuing."""
    os.environ["BALAI_DATA_DIR"] = data_dir
    import django

    django.setup()
    from balai.letters.pki import load_signer

    signer = load_signer(head("kades_ec"))
    batch = letters(count, seed)
    issue(batch[0], signer)  # warm the compiler and fonts
    barrier.wait()
    start = time.perf_counter()
    for data in batch:
        issue(data, signer)
    results.put((count, time.perf_counter() - start))


def timed(fn, items) -> tuple[float, list]:
    """CPU seconds for `fn` over `items` (steadier than wall time on a shared machine)."""
    start = time.process_time()
    out = [fn(x) for x in items]
    return time.process_time() - start, out


def main() -> None:
    data_dir = setup_django()
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    from balai.letters import pki
    from balai.letters.rendering import qr_svg, render_letter
    from balai.letters.signing import sign_pdf, verify_pdf

    pki.init_demo_pki([head("kades_ec")])
    ec_signer = pki.load_signer(head("kades_ec"))
    # An RSA-2048 signer, as BSrE issues, in a PKCS#12 beside the demo one.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    p12_ec = (pki.pki_dir() / "signers" / "kades_ec.p12").read_bytes()
    pw = (pki.pki_dir() / "signers" / "kades_ec.passphrase").read_bytes().strip()
    _k, ec_cert, chain = pkcs12.load_key_and_certificates(p12_ec, pw)
    if ec_cert is None:
        raise SystemExit("the demo signer's PKCS#12 holds no certificate")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = serialization.load_pem_private_key((pki.pki_dir() / "ca.key.pem").read_bytes(), None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)  # the demo CA (pki._ensure_ca)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    rsa_cert = (
        x509.CertificateBuilder()
        .subject_name(ec_cert.subject)
        .issuer_name(ec_cert.issuer)
        .public_key(rsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ec_cert.not_valid_before_utc)
        .not_valid_after(ec_cert.not_valid_after_utc)
        .add_extension(pki.key_usage("digital_signature", "content_commitment"), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    p12_rsa = pkcs12.serialize_key_and_certificates(
        b"rsa", rsa_key, rsa_cert, chain, serialization.BestAvailableEncryption(pw)
    )
    rsa_signer = pki.signer_from_pkcs12(p12_rsa, pw, pki.trust_roots())

    batch = letters(N)
    render_letter(batch[0])  # warm: the compiler and its fonts load once per process

    qr_time, _ = timed(lambda d: qr_svg(d.verification_url), batch)
    render_time, pdfs = timed(render_letter, batch)
    pairs = list(zip(batch, pdfs, strict=True))
    sign_time, signed = timed(
        lambda p: sign_pdf(p[1], ec_signer, reason=f"Surat {p[0].number}", location="X"), pairs
    )
    hash_time, _ = timed(lambda b: hashlib.sha256(b).hexdigest(), signed)
    rsa_time, _ = timed(
        lambda p: sign_pdf(p[1], rsa_signer, reason="Surat", location="X"), pairs[:N_BASELINE]
    )
    verify_time, results = timed(verify_pdf, signed[:N_BASELINE])
    assert all(r.ok for r in results)

    # Baseline: pyHanko as shipped (SimpleSigner re-parses the key each signature, and
    # without bytes_reserved it signs once more to size the signature).
    shipped = signers.SimpleSigner.load_pkcs12_data(p12_rsa, [], passphrase=pw)

    def sign_as_shipped(p):
        from io import BytesIO

        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        meta = signers.PdfSignatureMetadata(field_name="Sig", subfilter=None)
        w = IncrementalPdfFileWriter(BytesIO(p[1]), strict=False)
        return signers.sign_pdf(w, meta, signer=shipped).getvalue()

    shipped_time, _ = timed(sign_as_shipped, pairs[:N_BASELINE])

    wall = time.perf_counter()
    for data in batch[:N_BASELINE]:
        issue(data, ec_signer)
    wall_rate = N_BASELINE / (time.perf_counter() - wall)
    one_core = render_time + sign_time + hash_time  # render includes its QR
    typst_time = render_time - qr_time
    # Two processes, each issuing half: the machine's figure.
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(data_dir, N // 2, seed, barrier, queue)) for seed in (1, 2)
    ]
    for proc in procs:
        proc.start()
    finished = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    done = sum(count for count, _ in finished)
    two_cores = max(elapsed for _, elapsed in finished)

    per = lambda t, n=N: n / t  # noqa: E731
    share = lambda t: 100 * t / one_core  # noqa: E731
    print(f"letters render and sign, {stamp()}, load average {os.getloadavg()[0]:.1f}")
    print("  rates per CPU second of one process, unless 'wall'")
    print(
        f"  PDF size: unsigned {len(pdfs[0]) / 1024:.0f} KB, signed {len(signed[0]) / 1024:.0f} KB"
    )
    print(f"  one core, issue (render+QR+sign EC P-256+SHA-256): {per(one_core):6.1f} letters/s")
    print(f"    the same, wall clock: {wall_rate:6.1f} letters/s")
    print(f"    Typst render (PDF/A-2b):   {per(typst_time):6.1f}/s  {share(typst_time):4.1f}%")
    print(f"    QR (segno SVG):            {per(qr_time):6.1f}/s  {share(qr_time):4.1f}%")
    print(f"    sign (pyHanko PAdES B-B):  {per(sign_time):6.1f}/s  {share(sign_time):4.1f}%")
    print(f"    SHA-256:                   {per(hash_time):6.0f}/s  {share(hash_time):4.1f}%")
    print(f"  sign with RSA-2048 (BSrE-like), key cached: {per(rsa_time, N_BASELINE):6.1f}/s")
    print(
        f"  sign RSA-2048 as pyHanko ships it:          {per(shipped_time, N_BASELINE):6.1f}/s"
        f"  (ours {shipped_time / rsa_time:.1f}x faster)"
    )
    print(f"  verify_pdf (pyHanko, against the CA):      {per(verify_time, N_BASELINE):6.1f}/s")
    print(f"  two processes (2 cores), issue, wall: {done / two_cores:6.1f} letters/s (target 40)")


if __name__ == "__main__":
    main()
