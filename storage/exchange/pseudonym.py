"""Pseudonymised mode: values replaced by HMAC-SHA256 under a key the six zones share.

Two zones holding the same key compute the same digest for the same phone, email or handle, so
they can match indicators without either revealing them. The key file holds 32 random bytes as
hex, is written 0600 and is never logged; its id (a short SHA-256 of the key) travels with an
export so that an importer can tell whether it holds the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import replace
from pathlib import Path

from storage.exchange.errors import KeyFileError
from storage.exchange.model import PSEUDONYMISABLE, ExchangeIndicator

KEY_BYTES = 32
PSEUDONYM_FILE = "pseudonym.key"
"""The shared key's file name in the zone's keys directory."""


def canonical(kind: str, platform: str, value: str) -> str:
    """The text that is hashed: kind, platform and the value (case-folded where case is noise)."""
    if kind in ("email", "handle", "alias"):
        value = value.casefold()
    return f"{kind}\x1f{platform}\x1f{value}"


def digest(key: bytes, kind: str, platform: str, value: str) -> str:
    """HMAC-SHA256 of a value under the shared key, in hex."""
    return hmac.new(key, canonical(kind, platform, value).encode(), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A short public id of the key (not the key): the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(b"vigie-pseudonym-key\x00" + key).hexdigest()[:16]


def pseudonymise(indicator: ExchangeIndicator, key: bytes) -> ExchangeIndicator:
    """The indicator with its value replaced by the HMAC (image hashes stay as they are)."""
    if indicator.pseudonymised or indicator.kind not in PSEUDONYMISABLE:
        return indicator
    value = digest(key, indicator.kind, indicator.platform, indicator.value)
    return replace(indicator, value=value, pseudonymised=True)


def write_private(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600 (never world-readable, not even for an instant)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    path.chmod(0o600)


def create_key(path: Path, *, overwrite: bool = False) -> bytes:
    """Generate a new shared key at `path`; refuse to replace one unless `overwrite`."""
    if path.exists() and not overwrite:
        raise KeyFileError(f"{path}: a pseudonymisation key exists already")
    key = secrets.token_bytes(KEY_BYTES)
    write_private(path, key.hex().encode() + b"\n")
    return key


def install_key(path: Path, source: Path) -> bytes:
    """Copy the zones' shared key from `source` (as distributed) to `path`."""
    key = load_key(source)
    write_private(path, key.hex().encode() + b"\n")
    return key


def load_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the pseudonymisation key ({exc})") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KeyFileError(f"{path}: not a pseudonymisation key (expected hex)") from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path}: expected a {KEY_BYTES}-byte key, found {len(key)} bytes")
    return key
