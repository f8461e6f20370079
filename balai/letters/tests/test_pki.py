import stat
from io import StringIO

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command

from balai.letters import pki


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_pki_init_makes_a_ca_and_a_certificate_for_each_village_head(data_dir, cast):
    out = StringIO()
    call_command("pki", "init", stdout=out)
    root = pki.pki_dir()

    assert (root / "ca.pem").exists()
    assert sorted(p.name for p in (root / "signers").glob("*.p12")) == [
        "kades_a.p12",
        "kades_b.p12",
    ]
    assert "2 certificate(s) issued" in out.getvalue()


def test_pki_init_keeps_keys_and_passphrases_private(data_dir, cast):
    call_command("pki", "init", stdout=StringIO())
    root = pki.pki_dir()

    assert mode(root) == 0o700
    assert mode(root / "signers") == 0o700
    assert mode(root / "ca.key.pem") == 0o600
    assert mode(root / "signers" / "kades_a.p12") == 0o600
    assert mode(root / "signers" / "kades_a.passphrase") == 0o600


def test_pki_init_is_idempotent(data_dir, cast):
    call_command("pki", "init", stdout=StringIO())
    signers = pki.pki_dir() / "signers"
    before = {p.name: p.read_bytes() for p in signers.iterdir()}
    ca_before = (pki.pki_dir() / "ca.pem").read_bytes()

    out = StringIO()
    call_command("pki", "init", stdout=out)

    assert {p.name: p.read_bytes() for p in signers.iterdir()} == before
    assert (pki.pki_dir() / "ca.pem").read_bytes() == ca_before
    assert "0 certificate(s) issued" in out.getvalue()


def test_pki_init_reissues_when_the_head_changes_name(demo_pki, cast):
    cast.head_a.first_name, cast.head_a.last_name = "Siti", "Aminah"
    cast.head_a.save()

    assert pki.init_demo_pki([cast.head_a, cast.head_b]) == ["kades_a"]
    assert pki.load_signer(cast.head_a).subject_name == "Siti Aminah"


def test_pki_init_leaves_a_production_pkcs12_alone(data_dir, cast):
    signers = pki.pki_dir() / "signers"
    signers.mkdir(parents=True)
    (signers / "kades_a.p12").write_bytes(b"as issued by BSrE")

    issued = pki.init_demo_pki([cast.head_a, cast.head_b])

    assert issued == ["kades_b"]
    assert (signers / "kades_a.p12").read_bytes() == b"as issued by BSrE"


def test_pki_init_names_unknown_heads(data_dir, cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="operator_a"):
        call_command("pki", "init", "kades_a", "operator_a", stdout=StringIO())


def test_the_certificate_names_the_head_and_the_village(demo_pki, cast):
    p12 = (demo_pki / "signers" / "kades_a.p12").read_bytes()
    passphrase = (demo_pki / "signers" / "kades_a.passphrase").read_bytes().strip()
    _key, cert, chain = pkcs12.load_key_and_certificates(p12, passphrase)
    subject = cert.subject.rfc4514_string()

    assert "CN=Kades_A" in subject
    assert "OU=Tempursari" in subject
    assert cert.issuer == chain[0].subject


def test_load_signer_parses_the_key_once(demo_pki, cast):
    first = pki.load_signer(cast.head_a)

    assert pki.load_signer(cast.head_a) is first
    assert pki.load_signer(cast.head_b) is not first


def test_load_signer_notices_a_replaced_file(demo_pki, cast):
    first = pki.load_signer(cast.head_a)
    (demo_pki / "signers" / "kades_a.p12").unlink()
    pki.init_demo_pki([cast.head_a])

    assert pki.load_signer(cast.head_a) is not first


def test_load_signer_without_a_certificate_says_so(data_dir, cast):
    with pytest.raises(pki.SignerUnavailable, match="belum dipasang"):
        pki.load_signer(cast.head_a)


def test_load_signer_with_a_wrong_passphrase_says_so(demo_pki, cast, monkeypatch):
    monkeypatch.setenv("BALAI_P12_PASSPHRASE_KADES_A", "salah")

    with pytest.raises(pki.SignerUnavailable, match="kata sandi"):
        pki.load_signer(cast.head_a)


def test_the_passphrase_variable_is_named_after_the_username():
    assert pki.passphrase_env_name("kades_a") == "BALAI_P12_PASSPHRASE_KADES_A"
    assert pki.passphrase_env_name("kades.tempursari-1") == (
        "BALAI_P12_PASSPHRASE_KADES_TEMPURSARI_1"
    )


def test_pki_status_lists_who_can_sign(demo_pki, cast):
    (demo_pki / "signers" / "kades_b.p12").unlink()
    out = StringIO()
    call_command("pki", "status", stdout=out)

    assert "kades_a: Common Name: Kades_A" in out.getvalue()
    assert "kades_b: NOT READY" in out.getvalue()


def test_trust_roots_include_the_demo_ca_and_extra_pem_files(demo_pki):
    (demo_pki / "trust").mkdir()
    (demo_pki / "trust" / "bsre.pem").write_bytes((demo_pki / "ca.pem").read_bytes())

    assert len(pki.trust_roots()) == 2


def test_the_demo_step_gives_the_demo_heads_certificates(data_dir, cast):
    pki.seed_demo(StringIO())

    assert pki.load_signer(cast.head_a).subject_name == "Kades_A"
    assert pki.load_signer(cast.head_b).subject_name == "Kades_B"
