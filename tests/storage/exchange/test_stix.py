"""STIX 2.1 both ways (#19.2): strict-validator clean on the demo's export, deterministic ids,
zone-specific indicators, TLP on every object, `based-on`, and bundles of other tools read."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import stix2
from stix2validator import ValidationOptions, validate_string

from pipeline.analyze import analyze
from pipeline.images import hash_image
from pipeline.types import ImageRef, RawAd
from storage.exchange import stix, stix_read
from storage.exchange.collect import ExportFilters, collect
from storage.exchange.importer import EXTERNAL, import_file
from storage.exchange.matching import imported_indicators
from storage.exchange.model import ExchangeBundle
from storage.repository import Store
from vigie.crosslink import link_with_imports
from vigie.demo import generate
from vigie.demo.pages import contact_line

STRICT = ValidationOptions(version="2.1", strict=True)


def _errors(text: str) -> list[str]:
    result = validate_string(text, STRICT)
    return [str(e) for e in result.errors] + [str(w) for w in result.warnings]


def _objects(data: bytes) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = json.loads(data)["objects"]
    return objects


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> ExchangeBundle:
    """What zone 5344 exports of the demo corpus (analysed directly, images hashed in memory)."""
    corpus = generate(seed=7, n_static=30, n_js=12)
    path = tmp_path_factory.mktemp("demo") / "vigie.db"
    with Store.open(f"sqlite:///{path}") as store:
        hashes: dict[str, tuple[str, str]] = {}
        for ad in corpus.ads:
            images = []
            for name in ad.images:
                if name not in hashes:
                    found = corpus.image_bytes(name)
                    assert found is not None
                    hashes[name] = hash_image(found[0])
                images.append(ImageRef(f"http://127.0.0.1/img/{name}", *hashes[name]))
            raw = RawAd(ad.site, ad.ad_id, f"http://127.0.0.1{ad.url_path}", ad.title, ad.text,
                        ad.location_text, ad.lang, contact_text=contact_line(ad),
                        posted_at=ad.posted_at, images=tuple(images))
            store.save(raw, analyze(raw))
        link_with_imports(store, own_zone="5344", pseudonym_key=None)
        return collect(store, zone="5344", tlp="amber", filters=ExportFilters())


def test_the_demo_export_passes_the_strict_validator(demo_export: ExchangeBundle) -> None:
    assert len(demo_export.indicators) > 50
    assert demo_export.networks
    kinds = {i.kind for i in demo_export.indicators}
    assert {"phone", "image", "alias"} <= kinds
    text = stix.dumps(demo_export).decode()
    assert _errors(text) == []
    assert "\n" not in text.strip()  # compact


def test_the_fixture_bundle_passes_the_strict_validator(bundle: ExchangeBundle) -> None:
    assert _errors(stix.dumps(bundle).decode()) == []


def test_observable_ids_are_the_specifications_uuid5(bundle: ExchangeBundle) -> None:
    for obj in _objects(stix.dumps(bundle)):
        if obj["type"] in ("user-account", "email-addr", "url", "file"):
            assert uuid.UUID(obj["id"].split("--")[1]).version == 5
            rebuilt = stix2.parse({k: v for k, v in obj.items() if k != "id"}, allow_custom=True)
            assert rebuilt.id == obj["id"]  # the stix2 library derives the same id


def test_identical_exports_have_the_same_ids_and_zones_their_own(bundle: ExchangeBundle) -> None:
    later = replace(bundle, exported_at=bundle.exported_at + timedelta(days=1))
    first = {o["id"] for o in _objects(stix.dumps(bundle)) if o["type"] != "report"}
    second = {o["id"] for o in _objects(stix.dumps(later)) if o["type"] != "report"}
    assert first == second
    other_zone = {o["id"] for o in _objects(stix.dumps(replace(bundle, zone="5339")))}
    mine = [o["id"] for o in _objects(stix.dumps(bundle)) if o["type"] == "indicator"]
    assert mine
    assert not set(mine) & other_zone
    assert len(set(mine)) == len(bundle.indicators)


def test_every_object_with_data_is_marked_and_indicators_are_based_on_observables(
    bundle: ExchangeBundle,
) -> None:
    objects = _objects(stix.dumps(bundle))
    by_id = {o["id"]: o for o in objects}
    amber_strict = stix.TLP2_MARKINGS["amber+strict"]
    for obj in objects:
        if obj["type"] != "marking-definition" and obj["type"] != "extension-definition":
            assert obj.get("object_marking_refs") == [amber_strict], obj["id"]
    based_on = {r["source_ref"]: r["target_ref"] for r in objects
                if r["type"] == "relationship" and r["relationship_type"] == "based-on"}
    indicators = [o for o in objects if o["type"] == "indicator"]
    assert len(based_on) == len(indicators)
    for indicator in indicators:
        observed = by_id[based_on[indicator["id"]]]
        assert observed["type"] == "observed-data"
        (sco,) = (by_id[r] for r in observed["object_refs"])
        assert sco["type"] in ("user-account", "email-addr", "url", "file")
    extensions = {o["id"] for o in objects if o["type"] == "extension-definition"}
    used = {k for o in objects for k in o.get("extensions", {}) if k.startswith("extension-def")}
    assert used <= extensions | {stix.TLP2_EXTENSION}


def _foreign_bundle() -> str:
    """A bundle as another tool writes it with the stix2 library: no Vigie extension."""
    author = stix2.Identity(name="CERT X", identity_class="organization")
    marked = {"object_marking_refs": [stix2.TLP_RED.id]}
    common = {"created_by_ref": author.id, **marked}
    objects = [
        author,
        stix2.Indicator(pattern="[phone-number:value = '+32 470 11 22 33']", pattern_type="stix",
                        valid_from="2026-01-01T00:00:00Z", confidence=70,
                        labels=["trafficking"], allow_custom=True, **common),
        stix2.Indicator(pattern="[ipv4-addr:value = '192.0.2.1']", pattern_type="stix",
                        valid_from="2026-01-01T00:00:00Z", **common),
        stix2.UserAccount(account_login="@nora_b", account_type="twitter", **marked),
        stix2.UserAccount(display_name="Nora", **marked),
        stix2.EmailAddress(value="nora@example.invalid", **marked),
        stix2.File(hashes={"SHA-256": "a" * 64}, **marked),
        stix2.AttackPattern(name="Grooming", **common),
        stix2.Identity(name="Lina B", identity_class="individual", **common),
    ]
    return stix2.Bundle(*objects, allow_custom=True).serialize()


def test_a_bundle_of_another_tool_is_read_and_the_rest_reported() -> None:
    back = stix_read.loads(_foreign_bundle().encode())
    assert sorted((i.kind, i.platform, i.value) for i in back.indicators) == [
        ("alias", "", "Lina B"), ("alias", "", "Nora"), ("email", "", "nora@example.invalid"),
        ("handle", "twitter", "nora_b"), ("phone", "", "+32470112233"),
    ]
    phone = next(i for i in back.indicators if i.kind == "phone")
    assert (phone.score, phone.flags) == (0.7, ("trafficking",))
    assert back.tlp == "red"
    assert back.zone == ""
    assert set(back.skipped) == {"1 attack-pattern object", "1 file object",
                                 "1 indicator whose pattern Vigie cannot read"}


OPENCTI = {  # the shape of an OpenCTI 6 export (custom SCO `phone-number`, TLP 1.0 markings)
    "type": "bundle", "id": "bundle--2f1a4b46-0c44-4c4b-9b3a-6f52c2b5f1b1",
    "objects": [
        {"type": "identity", "spec_version": "2.1",
         "id": "identity--7b82b010-b1c0-4dae-981f-7756374a17df",
         "created": "2026-02-01T10:00:00.000Z", "modified": "2026-02-01T10:00:00.000Z",
         "name": "Federal Judicial Police", "identity_class": "organization",
         "x_opencti_id": "2d1b1f38-4f58-4f43-a1f4-0dd8a5c3b3a4"},
        {"type": "marking-definition", "spec_version": "2.1",
         "id": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
         "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp",
         "name": "TLP:AMBER", "definition": {"tlp": "amber"}},
        {"type": "indicator", "spec_version": "2.1",
         "id": "indicator--5bb8c0fb-9a1b-4a38-a1c4-7cbe0c4e6a61",
         "created": "2026-02-01T10:00:00.000Z", "modified": "2026-02-01T10:00:00.000Z",
         "name": "+32470123456", "pattern": "[phone-number:value = '+32470123456']",
         "pattern_type": "stix", "valid_from": "2026-02-01T10:00:00.000Z",
         "created_by_ref": "identity--7b82b010-b1c0-4dae-981f-7756374a17df",
         "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
         "x_opencti_score": 80, "x_opencti_main_observable_type": "Phone-Number"},
        {"type": "phone-number", "spec_version": "2.1",
         "id": "phone-number--0d5a7a9b-7b6e-5a6a-9c69-c1f0a3f0c3a2", "value": "+32470999000",
         "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
         "x_opencti_score": 50},
    ],
}


def test_an_opencti_export_is_imported_without_a_zone(
    open_store: Any, tmp_path: Path
) -> None:
    path = tmp_path / "opencti.json"
    path.write_text(json.dumps(OPENCTI))
    store = open_store("zone-b")
    report = import_file(store.engine, path, trusted=[], actor="a", zone="5341",
                         allow_unsigned=True, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert report.added
    assert report.source_zone == EXTERNAL
    assert report.skipped == ()  # its author and marking are understood, not data
    values = {(r.kind, r.value, r.source_zone) for r in imported_indicators(store.engine)}
    assert values == {("phone", "+32470123456", EXTERNAL), ("phone", "+32470999000", EXTERNAL)}
