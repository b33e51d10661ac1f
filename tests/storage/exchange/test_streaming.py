"""Exports stream (#18.3): the ads are read a page at a time, the file is written as it is read
(memory does not grow with the ads), STIX objects match the stix2 library's, and the signatures
made while writing verify with standard tools."""

from __future__ import annotations

import hashlib
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import stix2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.console import Console
from sqlalchemy import event, insert

from storage.exchange import feed, stix
from storage.exchange.collect import ExportFilters
from storage.exchange.exporter import export
from storage.exchange.jws import verify_jws
from storage.exchange.model import ExchangeBundle
from storage.exchange.signing import ZoneKey, raw_public, verify_bytes
from storage.exchange.streamsign import Ed25519Stream, ExportSigner
from storage.repository import Store
from storage.tables import Ad, AdFlag, AdImage, AdPhone
from vigie.progressbar import export_progress

SEEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _bulk_ads(store: Store, n: int) -> None:
    """`n` ads with a phone and an image each, written straight into the tables (fast)."""
    ads = [
        {"id": pk, "site": "bench", "ad_id": str(pk), "url": f"http://127.0.0.1/{pk}",
         "title": "Titre", "text": "Texte", "location_text": "", "contact_text": "",
         "first_seen": SEEN + timedelta(seconds=pk), "last_seen": SEEN + timedelta(seconds=pk),
         "version": 1, "content_sha256": f"{pk:064x}", "zone": "5339", "minor_score": 0.6,
         "trafficking_score": 0.1, "max_score": 0.6, "flags": "minor", "model_version": "t",
         "raw_json": {}, "analysis_json": {}}
        for pk in range(1, n + 1)
    ]
    with store.engine.begin() as conn:
        conn.execute(insert(Ad), ads)
        conn.execute(insert(AdPhone), [
            {"ad_pk": pk, "e164": f"+3247{pk // 2:07d}", "region": "BE", "obfuscated": False}
            for pk in range(1, n + 1)
        ])
        conn.execute(insert(AdFlag), [{"ad_pk": pk, "flag": "minor"} for pk in range(1, n + 1)])
        conn.execute(insert(AdImage), [
            {"ad_pk": pk, "position": 0, "url": f"http://127.0.0.1/{pk}.jpg",
             "phash": f"{pk:016x}", "dhash": None}
            for pk in range(1, n + 1)
        ])


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store.open(f"sqlite:///{tmp_path / 'zone.db'}") as opened:
        yield opened


def test_the_export_reads_the_ads_a_page_at_a_time(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bulk_ads(store, 35)
    monkeypatch.setattr(feed, "PAGE", 10)
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", seen)
    result = export(store, tmp_path / "x.csv", fmt="csv", zone="5339", actor="a", reason="r",
                    filters=ExportFilters(flags=("minor",)))
    event.remove(store.engine, "before_cursor_execute", seen)
    assert result.indicators == 18 + 35  # phones shared by two ads, one image each
    pages = [(s, p) for s, p in statements if "FROM ad " in s + " " and "LIMIT" in s]
    assert len(pages) >= 4  # 10 + 10 + 10 + 5, then an empty page
    assert all(10 in tuple(p) for _, p in pages)  # every page asks for 10 ads, never all
    assert not any("raw_json" in s or "analysis_json" in s for s, _ in statements)


def test_export_memory_does_not_grow_with_the_ads(store: Store, tmp_path: Path) -> None:
    """The file is larger than all the export ever held at once (the old export held every ad,
    decoded, and every indicator, then the whole document)."""
    _bulk_ads(store, 6_000)
    # What a process pays once, at its first export (modules imported on first use, SQLAlchemy's
    # compiled statements; ~1.2 MiB), is paid first on a few ads of another database: the bound
    # is on what the export holds for the ads, whichever test ran before in this process.
    with Store.open(f"sqlite:///{tmp_path / 'warm.db'}") as warm:
        _bulk_ads(warm, 10)
        export(warm, tmp_path / "warm.json", fmt="vigie", zone="5339", actor="a", reason="r")
    tracemalloc.start()
    try:
        result = export(store, tmp_path / "x.json", fmt="vigie", zone="5339", actor="a",
                        reason="r")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.indicators == 9_001
    size = (tmp_path / "x.json").stat().st_size
    assert peak < size, f"peak {peak / 2**20:.1f} MiB for a file of {size / 2**20:.1f} MiB"
    assert peak < 3 * 2**20


def test_each_stix_object_is_what_the_stix2_library_makes_of_it(
    bundle: ExchangeBundle,
) -> None:
    """The per-value objects are written as plain JSON: the library parses each (pattern
    included) and writes it back unchanged, and derives the same SCO ids."""
    objects = json.loads(stix.dumps(bundle))["objects"]
    assert len(objects) > 4 * len(bundle.indicators)
    for obj in objects:
        parsed = stix2.parse(obj, allow_custom=True)
        assert json.loads(parsed.serialize()) == obj
        if obj["type"] in ("user-account", "email-addr", "url", "file"):
            props = {k: v for k, v in obj.items() if k not in ("id", "spec_version")}
            again = stix2.parse({**props, "spec_version": "2.1"}, allow_custom=True)
            assert again.id == obj["id"]


@pytest.mark.parametrize("sizes", [[0], [1], [2, 5, 1], [3] * 7, [65536, 7]])
def test_a_signature_made_while_writing_verifies_over_the_whole_file(sizes: list[int]) -> None:
    private = Ed25519PrivateKey.generate()
    chunks = [bytes((n + i) % 251 for i in range(n)) for n in sizes]
    data = b"".join(chunks)
    signer = ExportSigner(private, "5339")
    for chunk in chunks:
        signer.update(chunk)
    signatures = signer.signatures()
    assert signatures is not None
    key = ZoneKey("5339", raw_public(private.public_key()))
    assert verify_bytes(data, signatures[0], [key], "x").zone == "5339"
    verify_jws(data, signatures[1], key)  # raises if it does not match
    stream = Ed25519Stream(private)
    stream.update(data)
    private.public_key().verify(stream.finish(), data)  # the library's own verifier


def test_a_signed_export_verifies_and_its_digest_is_the_files(store: Store,
                                                               tmp_path: Path) -> None:
    _bulk_ads(store, 30)
    private = Ed25519PrivateKey.generate()
    path = tmp_path / "x.stix.json"
    result = export(store, path, fmt="stix", zone="5339", actor="a", reason="r",
                    signing_key=private)
    data = path.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.signature is not None
    assert result.jws is not None
    key = ZoneKey("5339", raw_public(private.public_key()))
    verify_bytes(data, result.signature.read_bytes(), [key], path.name)
    verify_jws(data, result.jws.read_bytes(), key)


def test_the_progress_bar_is_silent_off_a_terminal_and_drawn_on_one() -> None:
    piped = Console(file=io.StringIO(), force_terminal=False)
    with export_progress(piped) as progress:
        progress.start("Reading ads", 10)
        progress.advance(10)
    assert piped.file.getvalue() == ""  # type: ignore[attr-defined]
    shown = Console(file=io.StringIO(), force_terminal=True, width=100)
    with export_progress(shown) as progress:
        progress.start("Reading ads", 10)
        progress.advance(5)
        shown.print("", end="")  # let the live display render once
    assert "Reading ads" in shown.file.getvalue()  # type: ignore[attr-defined]
    quiet = Console(file=io.StringIO(), force_terminal=True)
    with export_progress(quiet, quiet=True) as progress:
        progress.start("Reading ads", 10)
    assert quiet.file.getvalue() == ""  # type: ignore[attr-defined]
