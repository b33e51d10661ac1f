"""Ed25519 detached signatures and the trusted zone keys."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from storage.exchange.errors import KeyFileError, SignatureError
from storage.exchange.signing import (
    PRIVATE_FILE,
    PUBLIC_FILE,
    create_keypair,
    load_private,
    load_public,
    sign_bytes,
    trust,
    trusted_keys,
    untrust,
    verify_bytes,
)

DATA = b'{"format": "vigie-exchange"}\n'


def test_a_signature_verifies_against_the_trusted_key(tmp_path: Path) -> None:
    key = create_keypair(tmp_path / "a", "5344")
    signature = sign_bytes(DATA, load_private(tmp_path / "a" / PRIVATE_FILE), "5344")
    signer = verify_bytes(DATA, signature, [key], "f.json")
    assert (signer.zone, signer.fingerprint) == ("5344", key.fingerprint)


def test_a_changed_byte_is_refused(tmp_path: Path) -> None:
    key = create_keypair(tmp_path, "5344")
    signature = sign_bytes(DATA, load_private(tmp_path / PRIVATE_FILE), "5344")
    with pytest.raises(SignatureError, match="does not match the file's bytes"):
        verify_bytes(DATA.replace(b"vigie", b"vigiE"), signature, [key], "f.json")


def test_an_untrusted_signer_is_refused(tmp_path: Path) -> None:
    trusted = create_keypair(tmp_path / "a", "5344")
    create_keypair(tmp_path / "b", "5340")
    signature = sign_bytes(DATA, load_private(tmp_path / "b" / PRIVATE_FILE), "5340")
    with pytest.raises(SignatureError, match=r"untrusted key .* \(claims zone 5340\)"):
        verify_bytes(DATA, signature, [trusted], "f.json")


def test_a_garbled_signature_file_is_refused(tmp_path: Path) -> None:
    key = create_keypair(tmp_path, "5344")
    with pytest.raises(SignatureError, match="not a Vigie signature file"):
        verify_bytes(DATA, b"garbage", [key], "f.json")


def test_private_key_is_written_0600_and_not_replaced(tmp_path: Path) -> None:
    create_keypair(tmp_path, "5339")
    assert stat.S_IMODE((tmp_path / PRIVATE_FILE).stat().st_mode) == 0o600
    with pytest.raises(KeyFileError, match="exists already"):
        create_keypair(tmp_path, "5339")


def test_trust_list_keeps_one_key_per_zone(tmp_path: Path) -> None:
    first = create_keypair(tmp_path / "a", "5341")
    second = create_keypair(tmp_path / "b", "5341", overwrite=True)
    other = create_keypair(tmp_path / "c", "5342")
    keys = tmp_path / "keys"
    trust(keys, load_public(tmp_path / "a" / PUBLIC_FILE))
    trust(keys, other)
    trust(keys, second)
    assert trusted_keys(keys) == [second, other]
    assert first not in trusted_keys(keys)
    assert untrust(keys, "5341") is True
    assert trusted_keys(keys) == [other]
    assert untrust(keys, "5341") is False


def test_a_public_key_line_for_an_unknown_zone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.pub"
    path.write_text("vigie-ed25519 1234 AAAA\n", encoding="ascii")
    with pytest.raises(KeyFileError, match="not a Brussels zone"):
        load_public(path)
