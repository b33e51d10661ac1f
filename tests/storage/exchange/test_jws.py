"""Signatures the others can check (#19.3): every signed export also gets a detached EdDSA JWS
that an independent JOSE implementation (jwcrypto) verifies with the zone's published JWK."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from jwcrypto import jwk, jws

from storage.exchange.errors import SignatureError
from storage.exchange.exporter import export
from storage.exchange.jws import verify_jws
from storage.exchange.signing import (
    PRIVATE_FILE,
    PUBLIC_JWK_FILE,
    PUBLIC_PEM_FILE,
    create_keypair,
    load_private,
)
from storage.repository import Store


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_an_independent_jose_library_verifies_the_export(
    fmt: str, open_store: Callable[[str], Store], add_ad: Callable[..., None], tmp_path: Path
) -> None:
    store = open_store("zone-a")
    add_ad(store, "1", zone="5344", phones=("+32470123456",), score=0.9, flags=("minor",))
    keys = tmp_path / "keys"
    zone_key = create_keypair(keys, "5344")
    path = tmp_path / f"export.{fmt}.json"
    result = export(store, path, fmt=fmt, zone="5344", actor="a", reason="case 1",
                    signing_key=load_private(keys / PRIVATE_FILE))
    assert result.jws == tmp_path / f"export.{fmt}.json.jws"
    token = result.jws.read_text().strip()
    data = path.read_bytes()
    public = jwk.JWK.from_json((keys / PUBLIC_JWK_FILE).read_text())
    assert public.get("kid") == zone_key.fingerprint
    assert jwk.JWK.from_pem((keys / PUBLIC_PEM_FILE).read_bytes()).thumbprint() == (
        public.thumbprint())
    checked = jws.JWS()
    checked.deserialize(token)
    checked.verify(public, detached_payload=data)  # raises InvalidJWSSignature if wrong
    assert checked.jose_header["alg"] == "EdDSA"
    verify_jws(data, token.encode(), zone_key)
    tampered = data.replace(b"+32470123456", b"+32470123457")
    again = jws.JWS()
    again.deserialize(token)
    with pytest.raises(jws.InvalidJWSSignature):
        again.verify(public, detached_payload=tampered)
    with pytest.raises(SignatureError, match="does not match"):
        verify_jws(tampered, token.encode(), zone_key)


def test_an_unsigned_export_leaves_no_stale_jws(
    open_store: Callable[[str], Store], add_ad: Callable[..., None], tmp_path: Path
) -> None:
    store = open_store("zone-a")
    add_ad(store, "1", zone="5344", phones=("+32470123456",))
    keys = tmp_path / "keys"
    create_keypair(keys, "5344")
    path = tmp_path / "export.json"
    export(store, path, fmt="vigie", zone="5344", actor="a", reason="r",
           signing_key=load_private(keys / PRIVATE_FILE))
    assert (tmp_path / "export.json.jws").exists()
    result = export(store, path, fmt="vigie", zone="5344", actor="a", reason="r")
    assert result.jws is None
    assert not (tmp_path / "export.json.jws").exists()
