"""Each format writes and reads the same indicators; STIX is validator-clean, MISP objects
follow their strict templates, the Vigie JSON follows its schema."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from pymisp import MISPEvent, MISPObject
from stix2validator import ValidationOptions, validate_string

from storage.exchange import csvfmt, misp, vigie_json
from storage.exchange.errors import MalformedFile
from storage.exchange.formats import FORMATS, detect, read
from storage.exchange.model import ExchangeBundle, ExchangeIndicator


def _sorted(bundle: ExchangeBundle) -> list[ExchangeIndicator]:
    return sorted(bundle.indicators, key=lambda i: i.key)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_round_trip_keeps_every_indicator(name: str, bundle: ExchangeBundle) -> None:
    data = FORMATS[name].dumps(bundle)
    fmt, back = read(data)
    assert fmt.name == name
    assert _sorted(back) == _sorted(bundle)
    assert (back.zone, back.tlp, back.pseudonym_key_id) == ("5344", "amber+strict",
                                                            bundle.pseudonym_key_id)


@pytest.mark.parametrize("name", ["vigie", "stix", "misp"])
def test_networks_round_trip(name: str, bundle: ExchangeBundle) -> None:
    back = FORMATS[name].loads(FORMATS[name].dumps(bundle))
    assert back.networks == bundle.networks
    assert back.exported_at == bundle.exported_at


def test_csv_keeps_network_membership(bundle: ExchangeBundle) -> None:
    back = csvfmt.loads(csvfmt.dumps(bundle))
    assert [(n.network_id, sorted(n.indicator_ids)) for n in back.networks] == [
        ("Nabc123", sorted(bundle.networks[0].indicator_ids))
    ]


def test_stix_bundle_is_validator_clean(bundle: ExchangeBundle) -> None:
    text = FORMATS["stix"].dumps(bundle).decode()
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    objects = json.loads(text)["objects"]
    types = {o["type"] for o in objects}
    assert {"identity", "indicator", "user-account", "file", "email-addr", "url",
            "observed-data", "grouping", "relationship", "report",
            "extension-definition", "marking-definition"} <= types
    assert not any(o["type"].startswith("x-") for o in objects)
    phone = next(o for o in objects if o.get("user_id") == "tel:+32470123456")
    ext = next(iter(phone["extensions"].values()))
    assert ext == {"extension_type": "property-extension", "kind": "phone", "platform": "",
                   "pseudonymised": False}
    tlp = next(o for o in objects if o["type"] == "marking-definition")
    assert tlp["name"] == "TLP:AMBER+STRICT"
    confidences = [o["confidence"] for o in objects if o["type"] == "indicator"]
    assert sorted(confidences)[-1] == 100
    assert 82 in confidences


def test_stix_refuses_a_score_outside_0_1(bundle: ExchangeBundle) -> None:
    bad = replace(bundle, indicators=(replace(bundle.indicators[0], score=1.5),))
    with pytest.raises(ValueError, match="confidence 150 outside 0–100"):
        FORMATS["stix"].dumps(bad)


def test_misp_objects_follow_strict_templates(bundle: ExchangeBundle) -> None:
    event = MISPEvent()
    event.load(misp.dumps(bundle).decode())
    names = sorted(o.name for o in event.objects)
    assert names == ["annotation", "phone-number", "user-account"]  # network, phone, handle
    for obj in event.objects:
        strict = MISPObject(obj.name, strict=True)
        for attribute in obj.attributes:
            strict.add_attribute(attribute.object_relation, value=attribute.value)
        strict.to_json()  # raises InvalidMISPObject when a required relation is missing
    tags = {t.name for t in event.tags}
    assert {"tlp:amber+strict", 'vigie:zone="5344"', 'vigie:mode="clear"'} <= tags
    image = next(a for a in event.attributes if a.value == "ffee001122334455")
    assert image.type == "text"
    assert "not a cryptographic hash" in image.comment
    used = {t.name for a in event.attributes for t in a.tags if t.name.startswith("vigie:")}
    for predicate_value in used:
        predicate, value = predicate_value[len("vigie:"):].split("=", 1)
        assert value.strip('"') in misp.taxonomy()[predicate]


def test_csv_escapes_cells_a_spreadsheet_would_run(bundle: ExchangeBundle) -> None:
    text = csvfmt.dumps(bundle).decode()
    assert text.splitlines()[0] == "\ufeff" + ";".join(csvfmt.COLUMNS)
    assert "'+32470123456" in text
    evil = replace(bundle, indicators=(ExchangeIndicator("alias", "=HYPERLINK(1)"),),
                   networks=())
    assert csvfmt.loads(csvfmt.dumps(evil)).indicators[0].value == "=HYPERLINK(1)"
    assert "'=HYPERLINK" in csvfmt.dumps(evil).decode()


def test_vigie_json_follows_its_schema_and_refuses_what_does_not(bundle: ExchangeBundle) -> None:
    doc = json.loads(vigie_json.dumps(bundle))
    doc["indicators"][0]["score"] = 3
    with pytest.raises(MalformedFile, match="indicators/0/score"):
        vigie_json.from_document(doc)
    doc = json.loads(vigie_json.dumps(bundle))
    doc["indicators"][0]["value"] = "+32470000000"  # id no longer matches the value
    with pytest.raises(MalformedFile, match="does not match its value"):
        vigie_json.from_document(doc)
    doc = json.loads(vigie_json.dumps(bundle))
    doc["zone"] = "1000"
    with pytest.raises(MalformedFile, match="zone"):
        vigie_json.from_document(doc)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"type": "something"}', "neither Vigie JSON"),
        (b"hello", "not an exchange file"),
        (b'{"type": "bundle", "id": "bundle--1", "objects": [{"type": "indicator"}]}',
         "refused by the stix2 library"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(MalformedFile, match=message):
        detect(data).loads(data)
