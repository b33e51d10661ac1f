"""HMAC pseudonymisation under the zones' shared key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.exchange.errors import KeyFileError
from storage.exchange.model import ExchangeIndicator
from storage.exchange.pseudonym import (
    create_key,
    digest,
    install_key,
    key_id,
    load_key,
    pseudonymise,
)

KEY_A = b"a" * 32
KEY_B = b"b" * 32


@given(st.text(min_size=1))
def test_same_key_same_digest_other_key_other_digest(value: str) -> None:
    assert digest(KEY_A, "phone", "", value) == digest(KEY_A, "phone", "", value)
    assert digest(KEY_A, "phone", "", value) != digest(KEY_B, "phone", "", value)
    assert len(digest(KEY_A, "phone", "", value)) == 64


def test_kind_and_platform_are_part_of_the_digest() -> None:
    assert digest(KEY_A, "handle", "telegram", "lina") != digest(KEY_A, "handle", "snapchat",
                                                                 "lina")
    assert digest(KEY_A, "alias", "", "lina") != digest(KEY_A, "handle", "", "lina")
    assert digest(KEY_A, "email", "", "A@X.invalid") == digest(KEY_A, "email", "", "a@x.invalid")


def test_image_hashes_stay_in_clear() -> None:
    image = ExchangeIndicator("image", "ffee001122334455", platform="phash")
    phone = ExchangeIndicator("phone", "+32470123456")
    assert pseudonymise(image, KEY_A) == image
    hidden = pseudonymise(phone, KEY_A)
    assert hidden.pseudonymised
    assert hidden.value == digest(KEY_A, "phone", "", "+32470123456")
    assert pseudonymise(hidden, KEY_A) == hidden


def test_key_files(tmp_path: Path) -> None:
    key = create_key(tmp_path / "k")
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600
    assert load_key(tmp_path / "k") == key
    assert install_key(tmp_path / "other" / "k", tmp_path / "k") == key
    assert key_id(key) != key.hex()[:16]
    assert len(key_id(key)) == 16
    with pytest.raises(KeyFileError, match="exists already"):
        create_key(tmp_path / "k")
    (tmp_path / "bad").write_text("abcd\n")
    with pytest.raises(KeyFileError, match="32-byte key"):
        load_key(tmp_path / "bad")
