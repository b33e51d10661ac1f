"""Export from one zone's database, import into another's: provenance, idempotence, refusals
(unsigned, untrusted, tampered, malformed) with nothing half-written, and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from storage.audit import AuditLog
from storage.exchange.collect import ExportFilters
from storage.exchange.errors import ExchangeError, MalformedFile, SignatureError
from storage.exchange.exporter import export
from storage.exchange.formats import FORMATS
from storage.exchange.importer import import_file
from storage.exchange.matching import imported_indicators
from storage.exchange.model import ExchangeBundle, ExchangeIndicator
from storage.exchange.signing import PRIVATE_FILE, ZoneKey, create_keypair, load_private
from storage.exchange.tables import ImportedFile, ImportedIndicator
from storage.repository import Store

StoreFactory = Callable[[str], Store]


@pytest.fixture
def zone_a(open_store: StoreFactory, add_ad: Callable[..., None]) -> Store:
    store = open_store("zone-a")
    add_ad(store, "1", zone="5344", phones=("+32470123456",),
           contacts=(("telegram", "lina_b"), ("email", "lina@example.invalid")),
           images=(("ffee001122334455", "0123456789abcdef"),), score=0.9, flags=("minor",))
    add_ad(store, "2", zone="5339", phones=("+32470123456", "+32470555555"), score=0.2)
    add_ad(store, "3", zone="5340", phones=("+32470777777",), score=0.95, flags=("trafficking",))
    return store


@pytest.fixture
def key_a(tmp_path: Path) -> ZoneKey:
    return create_keypair(tmp_path / "keys-a", "5344")


def _export(store: Store, path: Path, tmp_path: Path, fmt: str = "vigie", **kw: object) -> None:
    export(store, path, fmt=fmt, zone="5344", actor="analyst-a", reason="case 2026/17",
           signing_key=load_private(tmp_path / "keys-a" / PRIVATE_FILE), **kw)  # type: ignore[arg-type]


def _count(store: Store) -> tuple[int, int]:
    with Session(store.engine) as session:
        files = session.exec(select(func.count()).select_from(ImportedFile)).one()
        rows = session.exec(select(func.count()).select_from(ImportedIndicator)).one()
    return int(files), int(rows)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_then_import_gives_the_same_indicators_with_provenance(
    fmt: str, zone_a: Store, key_a: ZoneKey, open_store: StoreFactory, tmp_path: Path
) -> None:
    path = tmp_path / f"export.{fmt}"
    _export(zone_a, path, tmp_path, fmt=fmt)
    exported = FORMATS[fmt].loads(path.read_bytes())
    zone_b = open_store("zone-b")
    report = import_file(zone_b.engine, path, trusted=[key_a], actor="analyst-b", zone="5341")
    assert report.added
    assert report.source_zone == "5344"
    assert report.signer is not None
    records = imported_indicators(zone_b.engine)
    assert sorted((r.kind, r.platform, r.value, r.flags, r.score) for r in records) == sorted(
        (i.kind, i.platform, i.value, i.flags, i.score) for i in exported.indicators
    )
    assert {(r.kind, r.value) for r in records} >= {
        ("phone", "+32470123456"), ("handle", "lina_b"), ("email", "lina@example.invalid"),
        ("image", "ffee001122334455"), ("phone", "+32470777777"),
    }
    assert {(r.source_zone, r.file_name, r.verified) for r in records} == {
        ("5344", path.name, True)
    }
    phone = next(r for r in records if r.value == "+32470123456")
    assert phone.sightings == 2
    assert phone.flags == ("minor",)
    assert phone.zones == ("5339", "5344")


def test_reimporting_the_same_file_changes_nothing(
    zone_a: Store, key_a: ZoneKey, open_store: StoreFactory, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    _export(zone_a, path, tmp_path)
    zone_b = open_store("zone-b")
    import_file(zone_b.engine, path, trusted=[key_a], actor="b", zone="5341")
    before = _count(zone_b)
    again = import_file(zone_b.engine, path, trusted=[key_a], actor="b", zone="5341")
    assert not again.added
    assert _count(zone_b) == before


def test_filters_select_the_ads(zone_a: Store, key_a: ZoneKey, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    _export(zone_a, path, tmp_path, filters=ExportFilters(flags=("trafficking",)))
    values = {i.value for i in FORMATS["vigie"].loads(path.read_bytes()).indicators}
    assert values == {"+32470777777"}
    _export(zone_a, path, tmp_path, filters=ExportFilters(min_score=0.5, ad_zones=("5344",)))
    values = {i.value for i in FORMATS["vigie"].loads(path.read_bytes()).indicators}
    assert "+32470123456" in values
    assert "+32470777777" not in values


def test_tampered_file_is_refused_and_nothing_written(
    zone_a: Store, key_a: ZoneKey, open_store: StoreFactory, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    _export(zone_a, path, tmp_path)
    path.write_bytes(path.read_bytes().replace(b"+32470777777", b"+32470777778"))
    zone_b = open_store("zone-b")
    with pytest.raises(SignatureError, match="does not match the file's bytes"):
        import_file(zone_b.engine, path, trusted=[key_a], actor="b", zone="5341")
    assert _count(zone_b) == (0, 0)


def test_untrusted_signer_and_unsigned_file_are_refused(
    zone_a: Store, key_a: ZoneKey, open_store: StoreFactory, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    _export(zone_a, path, tmp_path)
    zone_b = open_store("zone-b")
    stranger = create_keypair(tmp_path / "keys-x", "5344")
    with pytest.raises(SignatureError, match="untrusted key"):
        import_file(zone_b.engine, path, trusted=[stranger], actor="b", zone="5341")
    export(zone_a, path, fmt="vigie", zone="5344", actor="a", reason="case")
    assert not (tmp_path / "export.json.sig").exists()
    with pytest.raises(SignatureError, match="not signed .* --allow-unsigned"):
        import_file(zone_b.engine, path, trusted=[key_a], actor="b", zone="5341")
    assert _count(zone_b) == (0, 0)
    report = import_file(zone_b.engine, path, trusted=[key_a], actor="b", zone="5341",
                         allow_unsigned=True)
    assert report.signer is None
    assert report.added
    assert {r.verified for r in imported_indicators(zone_b.engine)} == {False}


def test_signed_file_claiming_another_zone_is_refused(
    zone_a: Store, key_a: ZoneKey, open_store: StoreFactory, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    export(zone_a, path, fmt="vigie", zone="5342", actor="a", reason="case",
           signing_key=load_private(tmp_path / "keys-a" / PRIVATE_FILE))
    zone_b = open_store("zone-b")
    with pytest.raises(SignatureError, match="claims zone 5342 but is signed by zone 5344"):
        import_file(zone_b.engine, path, trusted=[key_a], actor="b", zone="5341")


def test_a_malformed_indicator_refuses_the_whole_file(
    open_store: StoreFactory, tmp_path: Path, bundle: ExchangeBundle
) -> None:
    bad = ExchangeBundle("5344", bundle.exported_at, "amber",
                         (*bundle.indicators, ExchangeIndicator("image", "zz", platform="phash")))
    path = tmp_path / "bad.csv"
    path.write_bytes(FORMATS["csv"].dumps(bad))
    zone_b = open_store("zone-b")
    with pytest.raises(MalformedFile, match=r"bad.csv: indicator 10 \(image\)"):
        import_file(zone_b.engine, path, trusted=[], actor="b", zone="5341", allow_unsigned=True)
    assert _count(zone_b) == (0, 0)


def test_a_value_too_long_to_index_refuses_the_whole_file(
    open_store: StoreFactory, tmp_path: Path, bundle: ExchangeBundle
) -> None:
    """PostgreSQL cannot index a 12,000-character value; both databases refuse it the same way."""
    long = ExchangeIndicator("handle", "x" * 12_000, platform="telegram")
    bad = ExchangeBundle("5344", bundle.exported_at, "amber", (*bundle.indicators, long))
    path = tmp_path / "long.json"
    path.write_bytes(FORMATS["vigie"].dumps(bad))
    zone_b = open_store("zone-b")
    with pytest.raises(MalformedFile, match=r"indicator 10 \(handle\): a value over 512"):
        import_file(zone_b.engine, path, trusted=[], actor="b", zone="5341", allow_unsigned=True)
    assert _count(zone_b) == (0, 0)


def test_a_file_name_that_is_not_unicode_is_refused_before_reading(
    open_store: StoreFactory, tmp_path: Path, bundle: ExchangeBundle
) -> None:
    path = tmp_path / "r\udce9sum\udce9.json"  # a Latin-1 name on a UTF-8 file system
    path.write_bytes(FORMATS["vigie"].dumps(bundle))
    zone_b = open_store("zone-b")
    with pytest.raises(MalformedFile, match="not valid Unicode"):
        import_file(zone_b.engine, path, trusted=[], actor="b", zone="5341", allow_unsigned=True)
    assert _count(zone_b) == (0, 0)


def test_export_and_import_are_audited(
    zone_a: Store, key_a: ZoneKey, open_store: StoreFactory, tmp_path: Path
) -> None:
    path = tmp_path / "export.stix.json"
    _export(zone_a, path, tmp_path, fmt="stix", tlp="red", recipient="zone 5341",
            filters=ExportFilters(min_score=0.5))
    [entry] = AuditLog(zone_a.engine).entries(action="export")
    assert (entry.actor, entry.zone, entry.reason) == ("analyst-a", "5344", "case 2026/17")
    assert entry.details["format"] == "stix"
    assert entry.details["tlp"] == "red"
    assert entry.details["filters"] == {"min_score": "0.5"}
    assert entry.details["recipient"] == "zone 5341"
    assert entry.details["indicators"] > 0
    zone_b = open_store("zone-b")
    import_file(zone_b.engine, path, trusted=[key_a], actor="analyst-b", zone="5341")
    [imported] = AuditLog(zone_b.engine).entries(action="import")
    assert imported.actor == "analyst-b"
    assert imported.details["source_zone"] == "5344"


def test_export_needs_a_reason(zone_a: Store, tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="needs a reason"):
        export(zone_a, tmp_path / "x.json", fmt="vigie", zone="5344", actor="a", reason="  ")
    assert not (tmp_path / "x.json").exists()
    assert AuditLog(zone_a.engine).count(action="export") == 0


def test_duplicate_indicators_in_one_file_are_refused(
    bundle: ExchangeBundle, open_store: StoreFactory, tmp_path: Path
) -> None:
    """#17.11: two indicators of one value (one id) in a file: refused, nothing written."""
    twice = replace(bundle, indicators=(*bundle.indicators, bundle.indicators[2]), networks=())
    path = tmp_path / "twice.json"
    path.write_bytes(FORMATS["vigie"].dumps(twice))
    store = open_store("zone-b")
    with pytest.raises(MalformedFile, match=r"indicator 10 \(handle\) duplicates indicator 3"):
        import_file(store.engine, path, trusted=[], actor="b", zone="5341", allow_unsigned=True)
    assert _count(store) == (0, 0)
