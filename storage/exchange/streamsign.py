"""Signing an export as it is written, without holding it: Ed25519 (RFC 8032) over bytes fed in
chunks, for Vigie's `.sig` (the file's bytes) and the detached JWS (`HEADER.` and the file's
bytes in base64url), with the file's SHA-256 for the audit trail.

Pure Ed25519 hashes the message twice (once for the nonce r, once for k = H(R‖A‖M)), so a
library signs only a message it holds whole. Any nonce gives a valid signature — the verifier
checks [S]B = R + [k]A only — so the nonce is drawn before the message, from the key's secret
prefix and fresh randomness (a hedged nonce, as in draft-irtf-cfrg-det-sigs-with-noise), and the
message is hashed once, as it is written. The point arithmetic stays in the `cryptography`
library: R is the public key of the nonce's seed. Every standard verifier (OpenSSL, JOSE
libraries, `cryptography`) accepts these signatures; they differ between two signings of one file.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from storage.exchange.jws import jws_header, jws_token
from storage.exchange.signing import raw_public, signature_document

_L = 2**252 + 27742317777372353535851937790883648493  # the order of the base point


def _clamped(digest: bytes) -> int:
    scalar = bytearray(digest[:32])
    scalar[0] &= 248
    scalar[31] &= 127
    scalar[31] |= 64
    return int.from_bytes(scalar, "little")


class Ed25519Stream:
    """An Ed25519 signature of the bytes given to `update`, made by `finish`."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
        expanded = hashlib.sha512(seed).digest()
        self._a = _clamped(expanded)
        nonce_seed = hashlib.sha512(expanded[32:] + os.urandom(32)).digest()[:32]
        self._r = _clamped(hashlib.sha512(nonce_seed).digest())
        self._big_r = raw_public(Ed25519PrivateKey.from_private_bytes(nonce_seed).public_key())
        self._hash = hashlib.sha512(self._big_r + raw_public(private.public_key()))

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def finish(self) -> bytes:
        k = int.from_bytes(self._hash.digest(), "little") % _L
        s = (self._r + k * self._a) % _L
        return self._big_r + s.to_bytes(32, "little")


class _B64Url:
    """base64url without padding, of bytes given in any chunks."""

    def __init__(self) -> None:
        self._rest = b""

    def encode(self, data: bytes) -> bytes:
        data = self._rest + data
        cut = len(data) - len(data) % 3
        self._rest = data[cut:]
        return base64.urlsafe_b64encode(data[:cut])

    def flush(self) -> bytes:
        return base64.urlsafe_b64encode(self._rest).rstrip(b"=")


class ExportSigner:
    """SHA-256 of the bytes written and, with a key, both signatures of them."""

    def __init__(self, private: Ed25519PrivateKey | None, zone: str) -> None:
        self.sha256 = hashlib.sha256()
        self._private = private
        self._zone = zone
        self._sig: Ed25519Stream | None = None
        self._jws: Ed25519Stream | None = None
        self._header = ""
        self._b64 = _B64Url()
        if private is not None:
            self._sig = Ed25519Stream(private)
            self._jws = Ed25519Stream(private)
            self._header = jws_header(private, zone)
            self._jws.update(f"{self._header}.".encode("ascii"))

    def update(self, data: bytes) -> None:
        self.sha256.update(data)
        if self._sig is not None and self._jws is not None:
            self._sig.update(data)
            self._jws.update(self._b64.encode(data))

    def signatures(self) -> tuple[bytes, bytes] | None:
        """Vigie's signature document and the detached JWS, once everything is written."""
        if self._private is None or self._sig is None or self._jws is None:
            return None
        self._jws.update(self._b64.flush())
        document = signature_document(self._sig.finish(), self._private, self._zone)
        return document, jws_token(self._header, self._jws.finish())
