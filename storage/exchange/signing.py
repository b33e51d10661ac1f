"""Ed25519 signatures over the exact bytes of an export, kept in a detached `FILE.sig` beside it.

A zone's key pair lives in its keys directory (`signing.key`, PEM, 0600; `signing.pub`, one
line `vigie-ed25519 ZONE BASE64` to hand to the other zones). The zones a zone trusts are the
public-key lines of `trusted.pub`, one per zone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from storage.exchange.errors import KeyFileError, SignatureError
from storage.exchange.model import ZONES
from storage.exchange.pseudonym import write_private

PRIVATE_FILE = "signing.key"
PUBLIC_FILE = "signing.pub"
TRUSTED_FILE = "trusted.pub"
PUBLIC_PEM_FILE = "signing.pub.pem"
PUBLIC_JWK_FILE = "signing.jwk"
SIG_SUFFIX = ".sig"
_TAG = "vigie-ed25519"


@dataclass(frozen=True, slots=True)
class ZoneKey:
    """A zone's public key."""

    zone: str
    public: bytes  # the 32 raw bytes

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.public).hexdigest()[:16]

    def line(self) -> str:
        return f"{_TAG} {self.zone} {base64.b64encode(self.public).decode()}"

    @classmethod
    def parse(cls, line: str, where: str) -> ZoneKey:
        parts = line.split()
        if len(parts) != 3 or parts[0] != _TAG:
            raise KeyFileError(f"{where}: expected '{_TAG} ZONE BASE64', got {line[:40]!r}")
        if parts[1] not in ZONES:
            raise KeyFileError(f"{where}: zone {parts[1]!r} is not a Brussels zone 5339–5344")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise KeyFileError(f"{where}: the key is not base64") from None
        if len(raw) != 32:
            raise KeyFileError(f"{where}: an Ed25519 public key has 32 bytes, not {len(raw)}")
        return cls(parts[1], raw)


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signed a file: a trusted zone, by key fingerprint."""

    zone: str
    fingerprint: str


def create_keypair(keys_dir: Path, zone: str, *, overwrite: bool = False) -> ZoneKey:
    """Generate the zone's key pair; refuse to replace an existing one unless `overwrite`."""
    private_path = keys_dir / PRIVATE_FILE
    if private_path.exists() and not overwrite:
        raise KeyFileError(f"{private_path}: a signing key exists already")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(private_path, pem)
    key = ZoneKey(zone, raw_public(private.public_key()))
    (keys_dir / PUBLIC_FILE).write_text(key.line() + "\n", encoding="ascii")
    write_standard_public(keys_dir, private, zone)
    return key


def write_standard_public(keys_dir: Path, private: Ed25519PrivateKey, zone: str) -> None:
    """The public key for tools other than Vigie: PEM (OpenSSL) and JWK (JOSE libraries)."""
    from storage.exchange.jws import public_jwk  # noqa: PLC0415 — jws imports this module

    public = private.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM,
                              serialization.PublicFormat.SubjectPublicKeyInfo)
    (keys_dir / PUBLIC_PEM_FILE).write_bytes(pem)
    jwk = public_jwk(ZoneKey(zone, raw_public(public)))
    (keys_dir / PUBLIC_JWK_FILE).write_text(json.dumps(jwk) + "\n", encoding="ascii")


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private(path: Path) -> Ed25519PrivateKey:
    """The private key in `path` (PEM, PKCS#8, unencrypted; see `create_keypair`)."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the signing key ({exc.strerror})") from None
    except (ValueError, TypeError):
        raise KeyFileError(f"{path}: not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def load_public(path: Path) -> ZoneKey:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the public key ({exc})") from None
    return ZoneKey.parse(text, str(path))


def trusted_keys(keys_dir: Path) -> list[ZoneKey]:
    path = keys_dir / TRUSTED_FILE
    if not path.exists():
        return []
    lines = path.read_text(encoding="ascii").splitlines()
    return [
        ZoneKey.parse(line, f"{path}:{n}")
        for n, line in enumerate(lines, 1)
        if line.strip() and not line.startswith("#")
    ]


def _write_trusted(keys_dir: Path, keys: list[ZoneKey]) -> None:
    keys_dir.mkdir(parents=True, exist_ok=True)
    text = "".join(k.line() + "\n" for k in keys)
    (keys_dir / TRUSTED_FILE).write_text(text, encoding="ascii")


def trust(keys_dir: Path, key: ZoneKey) -> None:
    """Trust `key` for its zone (replacing any key trusted before for that zone)."""
    keys = [k for k in trusted_keys(keys_dir) if k.zone != key.zone]
    _write_trusted(keys_dir, sorted([*keys, key], key=lambda k: k.zone))


def untrust(keys_dir: Path, zone: str) -> bool:
    keys = trusted_keys(keys_dir)
    kept = [k for k in keys if k.zone != zone]
    _write_trusted(keys_dir, kept)
    return len(kept) != len(keys)


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + SIG_SUFFIX)


def sign_bytes(data: bytes, private: Ed25519PrivateKey, zone: str) -> bytes:
    """The detached signature document for `data`."""
    return signature_document(private.sign(data), private, zone)


def signature_document(signature: bytes, private: Ed25519PrivateKey, zone: str) -> bytes:
    """The detached signature document holding `signature` (made with `private`)."""
    key = ZoneKey(zone, raw_public(private.public_key()))
    doc = {
        "algorithm": "ed25519",
        "zone": zone,
        "key": key.fingerprint,
        "signature": base64.b64encode(signature).decode(),
    }
    return (json.dumps(doc, indent=2) + "\n").encode()


def verify_bytes(data: bytes, signature: bytes, trusted: list[ZoneKey], name: str) -> Signer:
    """Check a signature document against the trusted keys; raise SignatureError saying why."""
    try:
        doc = json.loads(signature)
        fingerprint, claimed = str(doc["key"]), str(doc["zone"])
        raw = base64.b64decode(str(doc["signature"]), validate=True)
    except (ValueError, KeyError, TypeError, RecursionError, binascii.Error):
        raise SignatureError(f"{name}{SIG_SUFFIX}: not a Vigie signature file") from None
    key = next((k for k in trusted if k.fingerprint == fingerprint), None)
    if key is None:
        raise SignatureError(
            f"{name}: signed by an untrusted key {fingerprint} (claims zone {claimed}); "
            "trust it first with 'vigie keys trust'"
        )
    try:
        Ed25519PublicKey.from_public_bytes(key.public).verify(raw, data)
    except InvalidSignature:
        raise SignatureError(
            f"{name}: the signature of zone {key.zone} does not match the file's bytes "
            "(the file was altered after signing)"
        ) from None
    return Signer(key.zone, key.fingerprint)
