"""A standard signature beside Vigie's own: a detached JWS (RFC 7515, compact serialisation,
appendix F) with EdDSA over Ed25519 (RFC 8037), in `FILE.jws`, made with the zone's signing key.

`FILE.jws` is `HEADER..SIGNATURE` (the payload part left empty): the payload is the file's exact
bytes, base64url-encoded without padding. Any JOSE library verifies it with the zone's public
key as a JWK (`public_jwk`, written to `signing.jwk` by `vigie keys init`), or OpenSSL by hand
(README, "Checking a signature without Vigie").
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from storage.exchange.errors import SignatureError
from storage.exchange.signing import ZoneKey, raw_public

JWS_SUFFIX = ".jws"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_jwk(key: ZoneKey) -> dict[str, Any]:
    """The zone's public key as a JWK (RFC 8037 `OKP`/`Ed25519`), its id the Vigie fingerprint."""
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(key.public), "kid": key.fingerprint,
            "use": "sig", "alg": "EdDSA"}


def jws_header(private: Ed25519PrivateKey, zone: str) -> str:
    """The protected header of the zone's JWS, base64url-encoded."""
    key = ZoneKey(zone, raw_public(private.public_key()))
    return b64url(json.dumps({"alg": "EdDSA", "kid": key.fingerprint},
                             separators=(",", ":")).encode())


def jws_token(header: str, signature: bytes) -> bytes:
    """The detached compact JWS: `HEADER..SIGNATURE`, one line."""
    return f"{header}..{b64url(signature)}\n".encode("ascii")


def sign_jws(data: bytes, private: Ed25519PrivateKey, zone: str) -> bytes:
    """The detached compact JWS of `data`, one line."""
    header = jws_header(private, zone)
    return jws_token(header, private.sign(f"{header}.{b64url(data)}".encode("ascii")))


def verify_jws(data: bytes, token: bytes, key: ZoneKey) -> None:
    """Check a detached JWS of `data` against `key`; SignatureError saying why not."""
    try:
        header_b64, payload, signature_b64 = token.decode("ascii").strip().split(".")
        header = json.loads(_unb64url(header_b64))
        signature = _unb64url(signature_b64)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise SignatureError("not a compact JWS") from None
    if payload or not isinstance(header, dict) or header.get("alg") != "EdDSA":
        raise SignatureError("not a detached EdDSA JWS")
    try:
        Ed25519PublicKey.from_public_bytes(key.public).verify(
            signature, f"{header_b64}.{b64url(data)}".encode("ascii"))
    except InvalidSignature:
        raise SignatureError("the JWS does not match the file's bytes") from None
