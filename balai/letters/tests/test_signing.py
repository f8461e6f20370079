import datetime
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder

from balai.letters import pki
from balai.letters.rendering import render_letter, sample_letter_data
from balai.letters.signing import sign_pdf, verify_pdf
from balai.letters.tests.pdftools import pdfsig, pdftotext, reader, xmp


def unsigned_letter() -> bytes:
    return render_letter(
        sample_letter_data(
            number="470/012/35.08.01.2001/2026",
            verification_url="https://balai.example/v/7Q2M-XK4P-93RT-LW8A",
        )
    )


@pytest.fixture
def signed(demo_pki, cast):
    signer = pki.load_signer(cast.head_a)
    return sign_pdf(unsigned_letter(), signer, reason="Surat 470/012", location="Tempursari")


def test_a_signed_letter_validates_against_the_demo_ca(signed, cast):
    result = verify_pdf(signed)

    assert result.ok
    assert result.intact and result.valid and result.trusted and result.whole_document
    assert result.signer_name == cast.head_a.get_full_name()
    assert result.signed_at is not None


def test_it_makes_a_pades_signature_and_keeps_the_pdf_a_identification(signed):
    (signature,) = reader(signed).embedded_signatures

    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Surat 470/012"
    assert 'pdfaid:part="2"' in xmp(signed) or "<pdfaid:part>2" in xmp(signed)
    assert "Nomor: 470/012/35.08.01.2001/2026" in pdftotext(signed)


def test_a_changed_byte_breaks_the_signature(signed):
    (signature,) = reader(signed).embedded_signatures
    start, length = signature.byte_range[0], signature.byte_range[1]
    at = start + length // 2  # inside the first signed range: the letter's own objects
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]

    result = verify_pdf(tampered)

    assert result.signed
    assert not result.ok
    assert not result.intact


def test_a_change_appended_after_signing_is_noticed(signed):
    result = verify_pdf(signed + b"\n% appended\n")

    assert result.intact
    assert not result.whole_document
    assert not result.ok


def make_cert(
    subject: str,
    key,
    issuer: str,
    issuer_key,
    *,
    ca: bool,
    usages=("digital_signature", "content_commitment"),
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(pki.key_usage(*usages), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def test_a_signature_from_another_ca_is_not_trusted(signed, tmp_path):
    other_key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "other.pem"
    path.write_bytes(pem(make_cert("Another CA", other_key, "Another CA", other_key, ca=True)))

    result = verify_pdf(signed, [load_cert_from_pemder(str(path))])

    assert result.intact and result.valid
    assert not result.trusted
    assert not result.ok


def test_an_unsigned_or_unreadable_file_is_reported_unsigned(demo_pki):
    assert not verify_pdf(unsigned_letter()).signed
    assert not verify_pdf(b"not a pdf at all").signed
    assert not verify_pdf(b"").ok


def test_a_damaged_upload_never_breaks_verification(signed):
    import random

    (signature,) = reader(signed).embedded_signatures
    start1, length1, start2, length2 = signature.byte_range
    signed_positions = [*range(start1, start1 + length1), *range(start2, start2 + length2)]
    rng = random.Random(4)
    damaged = [signed[:n] for n in (10, 1000, len(signed) // 2, len(signed) - 10)]
    for _ in range(30):
        data = bytearray(signed)
        for at in rng.sample(signed_positions, rng.randint(1, 20)):
            data[at] ^= rng.randrange(1, 256)
        damaged.append(bytes(data))

    for pdf in damaged:
        assert not verify_pdf(pdf).ok


def test_pdfsig_finds_the_signature_valid_and_trusted(signed, demo_pki, tmp_path):
    out = pdfsig(signed, tmp_path, trusted_ca=demo_pki / "ca.pem")

    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate Validation: Certificate is Trusted." in out
    assert "Total document signed" in out


def test_pdfsig_without_the_ca_says_the_issuer_is_not_trusted(signed, tmp_path):
    out = pdfsig(signed, tmp_path)

    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate is Trusted" not in out


def test_pdfsig_finds_a_tampered_letter_invalid(signed, demo_pki, tmp_path):
    (signature,) = reader(signed).embedded_signatures
    at = signature.byte_range[1] // 2
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]

    out = pdfsig(tampered, tmp_path, trusted_ca=demo_pki / "ca.pem")

    assert "Signature Validation: Digest Mismatch." in out


def test_a_bsre_style_rsa_pkcs12_signs_with_its_passphrase_from_the_environment(
    data_dir, cast, monkeypatch
):
    # Production: the signer's PKCS#12 (RSA-2048, from a CA other than the demo one)
    # dropped into pki/signers/, its passphrase in the environment, the CA in pki/trust/.
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = make_cert("Contoh BSrE CA", ca_key, "Contoh BSrE CA", ca_key, ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = make_cert("Hj. Sulastri", key, "Contoh BSrE CA", ca_key, ca=False)
    signers_dir = pki.pki_dir() / "signers"
    signers_dir.mkdir(parents=True)
    (signers_dir / "kades_a.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"kades_a", key, cert, None, serialization.BestAvailableEncryption(b"rahasia-bsre")
        )
    )
    (pki.pki_dir() / "trust").mkdir()
    (pki.pki_dir() / "trust" / "bsre.pem").write_bytes(pem(ca))
    monkeypatch.setenv("BALAI_P12_PASSPHRASE_KADES_A", "rahasia-bsre")

    signed = sign_pdf(
        unsigned_letter(), pki.load_signer(cast.head_a), reason="Surat", location="Tempursari"
    )
    result = verify_pdf(signed)

    assert result.ok
    assert result.signer_name == "Hj. Sulastri"
    assert "kades_a.passphrase" not in os.listdir(signers_dir)


@pytest.mark.parametrize(
    ("usages", "accepted"),
    [
        (("digital_signature",), True),
        (("content_commitment",), True),  # nonRepudiation
        (("key_encipherment",), False),
    ],
)
def test_the_signers_key_usage_must_allow_signing(data_dir, cast, usages, accepted):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = make_cert("CA", ca_key, "CA", ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_cert("Kades", key, "CA", ca_key, ca=False, usages=usages)
    p12 = pkcs12.serialize_key_and_certificates(b"k", key, cert, None, NoEncryption())
    signer = pki.signer_from_pkcs12(p12, None)
    path = data_dir / "ca.pem"
    path.write_bytes(pem(ca))

    signed = sign_pdf(unsigned_letter(), signer, reason="Surat", location="Tempursari")

    assert verify_pdf(signed, [load_cert_from_pemder(str(path))]).ok is accepted
