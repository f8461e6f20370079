"""Signing keys and certificates for village heads (and secretaries who sign a.n. the head).

Layout under ``<BALAI_DATA_DIR>/pki/`` (keys and passphrases 0600):

    ca.pem, ca.key.pem           demo regency CA (made by `balai pki init`)
    trust/*.pem                  further trust roots/intermediates (BSrE's, in production)
    signers/<username>.p12       one PKCS#12 per signer (demo-issued, or as BSrE issues it)
    signers/<username>.passphrase  the demo file's passphrase; production uses
                                   env BALAI_P12_PASSPHRASE_<USERNAME> instead

`load_signer(user)` parses a signer's key once per process and keeps it; the
pyHanko signer it returns signs without re-reading the key (see signing.py).
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

CA_VALIDITY = datetime.timedelta(days=3650)
SIGNER_VALIDITY = datetime.timedelta(days=730)
# A demo certificate closer than this to expiry is reissued by `pki init`.
RENEW_BEFORE = datetime.timedelta(days=30)


class SignerUnavailable(Exception):
    """This user has no usable signing certificate (missing file or wrong passphrase)."""


def pki_dir() -> Path:
    return Path(settings.DATA_DIR) / "pki"


def _signers_dir() -> Path:
    return pki_dir() / "signers"


def passphrase_env_name(username: str) -> str:
    """BALAI_P12_PASSPHRASE_KADES_A for kades_a; non-alphanumerics become "_"."""
    return "BALAI_P12_PASSPHRASE_" + re.sub(r"[^A-Z0-9]", "_", username.upper())


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file readable by its owner only, atomically."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _regency_name() -> str:
    try:
        from balai.regions.models import Regency

        regency = Regency.objects.filter(code=settings.BALAI_REGENCY).first()
    except Exception:  # no database yet (first migration, bare scripts)
        regency = None
    return regency.name if regency else "Kabupaten Lumajang"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


# -- demo CA and demo signers ------------------------------------------------------------

_KEY_USAGES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def key_usage(*granted: str) -> x509.KeyUsage:
    """A KeyUsage extension with only the named usages set."""
    return x509.KeyUsage(**{usage: usage in granted for usage in _KEY_USAGES})


def _ensure_ca(stdout: TextIO | None) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    ca_pem, ca_key_pem = pki_dir() / "ca.pem", pki_dir() / "ca.key.pem"
    if ca_pem.exists() and ca_key_pem.exists():
        cert = x509.load_pem_x509_certificate(ca_pem.read_bytes())
        key = serialization.load_pem_private_key(ca_key_pem.read_bytes(), password=None)
        if cert.not_valid_after_utc - _now() > RENEW_BEFORE and isinstance(
            key, ec.EllipticCurvePrivateKey
        ):
            return cert, key
    key = ec.generate_private_key(ec.SECP256R1())
    regency = _regency_name()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Pemerintah {regency} (DEMO)"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Balai Demo CA {regency}"),
        ]
    )
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage("key_cert_sign", "crl_sign"), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        ca_key_pem,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    ca_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if stdout:
        stdout.write(f"demo CA created: {ca_pem}\n")
    return cert, key


def _signer_subject(user: Any) -> x509.Name:
    full_name = (user.get_full_name() or user.username).strip()
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Pemerintah {_regency_name()}"),
    ]
    village = getattr(user, "village", None)
    if village is not None:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, str(village.name)))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, full_name))
    return x509.Name(attrs)


def _existing_demo_is_current(user: Any, ca_cert: x509.Certificate) -> bool:
    p12 = _signers_dir() / f"{user.username}.p12"
    pw_file = _signers_dir() / f"{user.username}.passphrase"
    if not (p12.exists() and pw_file.exists()):
        return False
    try:
        _key, cert, _others = pkcs12.load_key_and_certificates(
            p12.read_bytes(), pw_file.read_bytes().strip()
        )
    except ValueError:
        return False
    return (
        cert is not None
        and cert.issuer == ca_cert.subject
        and cert.subject == _signer_subject(user)
        and cert.not_valid_after_utc - _now() > RENEW_BEFORE
    )


def issue_demo_signer(
    user: Any, ca_cert: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey
) -> Path:
    """A new EC P-256 key and certificate for `user`, written as a PKCS#12 file."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_signer_subject(user))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(min(now + SIGNER_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # content_commitment is nonRepudiation, which validators expect on signing keys.
        .add_extension(key_usage("digital_signature", "content_commitment"), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(24).encode()
    p12 = pkcs12.serialize_key_and_certificates(
        name=user.username.encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )
    path = _signers_dir() / f"{user.username}.p12"
    _write_private(path.with_suffix(".passphrase"), passphrase + b"\n")
    _write_private(path, p12)
    return path


def signing_users():
    """Active village heads, and the secretaries of villages that let them sign
    a.n. the head (for every letter type or for some)."""
    from django.db.models import Q

    from balai.accounts.choices import Role
    from balai.accounts.models import User

    delegating = Q(village__letter_settings__secretary_signs=True) | Q(
        village__letter_types__secretary_signs=True, village__letter_types__enabled=True
    )
    secretaries = Q(role=Role.VILLAGE_SECRETARY) & delegating
    return (
        User.objects.filter(Q(role=Role.VILLAGE_HEAD) | secretaries, is_active=True)
        .select_related("village")
        .distinct()
        .order_by("username")
    )


def init_demo_pki(users: Iterable[Any] | None = None, *, stdout: TextIO | None = None) -> list[str]:
    """Demo CA plus a certificate for each signer (default: `signing_users()`);
    returns who got a new one.

    Idempotent: a current certificate from the current CA is kept. Files that did
    not come from the demo CA (a BSrE PKCS#12 without a .passphrase file) are left alone.
    """
    if users is None:
        users = signing_users()
    pki_dir().mkdir(parents=True, exist_ok=True)
    os.chmod(pki_dir(), 0o700)
    ca_cert, ca_key = _ensure_ca(stdout)
    issued = []
    for user in users:
        p12 = _signers_dir() / f"{user.username}.p12"
        is_production_file = p12.exists() and not p12.with_suffix(".passphrase").exists()
        if is_production_file or _existing_demo_is_current(user, ca_cert):
            continue
        issue_demo_signer(user, ca_cert, ca_key)
        issued.append(user.username)
        if stdout:
            stdout.write(f"demo certificate for {user.username}: {p12}\n")
    clear_signer_cache()
    return issued


# -- loading signers ------------------------------------------------------------------------


class CachedKeySigner(SimpleSigner):
    """pyHanko's SimpleSigner, but the private key is parsed once, not on every signature."""

    def __init__(self, pyca_key: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism.signature_algo
        key = self._pyca_key
        if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)  # PSS and the rarer kinds


def signer_from_pkcs12(
    data: bytes, passphrase: bytes | None, extra_certs: Iterable[asn1_x509.Certificate] = ()
) -> CachedKeySigner:
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        raise SignerUnavailable("Berkas PKCS#12 tidak bisa dibuka (kata sandi salah?).") from exc
    if key is None or cert is None:
        raise SignerUnavailable("Berkas PKCS#12 tidak berisi kunci dan sertifikat.")
    registry = SimpleCertificateStore()
    registry.register_multiple(
        [translate_pyca_cryptography_cert_to_asn1(c) for c in others] + list(extra_certs)
    )
    return CachedKeySigner(
        key,
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=registry,
    )


_cache: dict[tuple[str, int, int, int], CachedKeySigner] = {}
_cache_lock = threading.Lock()


def clear_signer_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _passphrase_for(username: str, p12: Path) -> bytes | None:
    env = os.environ.get(passphrase_env_name(username))
    if env is not None:
        return env.encode()
    pw_file = p12.with_suffix(".passphrase")
    if pw_file.exists():
        return pw_file.read_bytes().strip()
    return None


def load_signer(user: Any) -> CachedKeySigner:
    """The signer for a user from ``<pki>/signers/<username>.p12``, parsed once per process."""
    p12 = _signers_dir() / f"{user.username}.p12"
    try:
        stat = p12.stat()
    except FileNotFoundError:
        raise SignerUnavailable(
            f"Sertifikat elektronik untuk {user.username} belum dipasang ({p12})."
        ) from None
    passphrase = _passphrase_for(user.username, p12)
    key = (str(p12), stat.st_mtime_ns, stat.st_size, hash(passphrase))
    with _cache_lock:
        signer = _cache.get(key)
    if signer is None:
        signer = signer_from_pkcs12(p12.read_bytes(), passphrase, trust_roots())
        with _cache_lock:
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            _cache[key] = signer
    return signer


def trust_roots() -> list[asn1_x509.Certificate]:
    """The demo CA (when made) and every certificate in ``<pki>/trust/*.pem``."""
    files = [pki_dir() / "ca.pem", *sorted((pki_dir() / "trust").glob("*.pem"))]
    return list(load_certs_from_pemder([str(f) for f in files if f.exists()]))


def seed_demo(stdout: TextIO) -> None:
    """Demo step (seed_demo): certificates for the demo village heads."""
    init_demo_pki(stdout=stdout)
