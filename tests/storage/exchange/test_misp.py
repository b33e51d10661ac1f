"""MISP both ways (#19.1): no UUID shared by two events, objects apart from their attributes,
the zone as creator organisation, networks as references; ordinary MISP events read."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from pymisp import MISPEvent, MISPObject

from storage.exchange import misp
from storage.exchange.importer import EXTERNAL, import_file
from storage.exchange.matching import imported_indicators
from storage.exchange.model import ExchangeBundle


def _uuids(event: MISPEvent) -> tuple[list[str], list[str]]:
    """(attribute UUIDs, object UUIDs) of one event, object attributes included."""
    attributes = [a.uuid for a in event.attributes]
    attributes += [a.uuid for o in event.objects for a in o.attributes]
    return attributes, [o.uuid for o in event.objects]


def _load(data: bytes) -> MISPEvent:
    event = MISPEvent()
    event.load(data.decode())
    return event


def test_three_exports_never_give_one_uuid_to_two_events(bundle: ExchangeBundle) -> None:
    exports = [
        bundle,
        replace(bundle, exported_at=bundle.exported_at + timedelta(hours=1)),
        replace(bundle, zone="5339"),
    ]
    events = [_load(misp.dumps(b)) for b in exports]
    seen: dict[str, str] = {}
    for event in events:
        attributes, objects = _uuids(event)
        assert objects
        assert len(set(attributes + objects)) == len(attributes + objects)  # within the event
        for u in [event.uuid, *attributes, *objects]:
            assert seen.setdefault(u, event.uuid) == event.uuid, f"{u} in two events"
    assert [e.Orgc.name for e in events] == ["Brussels police zone 5344"] * 2 + [
        "Brussels police zone 5339"]
    assert events[0].Orgc.uuid == events[1].Orgc.uuid != events[2].Orgc.uuid


def test_networks_are_annotation_objects_referencing_their_members(
    bundle: ExchangeBundle,
) -> None:
    event = _load(misp.dumps(bundle))
    [note] = [o for o in event.objects if o.name == "annotation"]
    strict = MISPObject("annotation", strict=True)
    for attribute in note.attributes:
        strict.add_attribute(attribute.object_relation, value=attribute.value)
    strict.to_json()  # the template's required relations are there
    assert {r.relationship_type for r in note.references} == {"annotates"}
    attributes, objects = _uuids(event)
    assert {r.referenced_uuid for r in note.references} <= set(attributes) | set(objects)
    assert len(note.references) == len(bundle.networks[0].indicator_ids)
    assert misp.loads(misp.dumps(bundle)).networks == bundle.networks


def _foreign_event() -> str:
    """An ordinary event of another MISP, built with PyMISP."""
    event = MISPEvent()
    event.info = "Trafficking case from another CERT"
    event.add_tag("tlp:red")
    event.add_tag('misp-galaxy:threat-actor="Someone"')
    event.add_attribute("phone-number", "+32 470 12 34 56")
    event.add_attribute("phone-number", "not a number")
    event.add_attribute("text", "free text about the case")
    event.add_attribute("email", "Nora@Example.invalid")
    event.add_attribute("url", "https://example.invalid/ad/1")
    event.add_attribute("sha256", "b" * 64)
    event.add_attribute("md5", "c" * 32).add_tag("tlp:amber")
    phone = MISPObject("phone-number")
    phone.add_attribute("phone-number", value="0032470998877")
    event.add_object(phone)
    account = MISPObject("user-account")
    account.add_attribute("username", value="@nora_b")
    account.add_attribute("account-type", value="Telegram")
    event.add_object(account)
    file = MISPObject("file")
    file.add_attribute("sha256", value="d" * 64)
    event.add_object(file)
    text: str = event.to_json()
    return text


def test_an_ordinary_misp_event_is_read_and_the_rest_reported() -> None:
    back = misp.loads(_foreign_event().encode())
    assert sorted((i.kind, i.platform, i.value) for i in back.indicators) == [
        ("email", "", "nora@example.invalid"), ("handle", "telegram", "nora_b"),
        ("phone", "", "+32470123456"), ("phone", "", "+32470998877"),
        ("url", "", "https://example.invalid/ad/1"),
    ]
    assert back.tlp == "red"
    assert back.zone == ""
    assert set(back.skipped) == {"1 file object", "1 md5 attribute", "1 phone-number attribute",
                                 "1 sha256 attribute", "1 text attribute"}


def test_an_ordinary_misp_event_is_imported(open_store: Any, tmp_path: Path) -> None:
    path = tmp_path / "other-misp.json"
    path.write_text(_foreign_event())
    store = open_store("zone-b")
    report = import_file(store.engine, path, trusted=[], actor="a", zone="5341",
                         allow_unsigned=True)
    assert report.added
    assert (report.source_zone, report.format) == (EXTERNAL, "misp")
    assert "1 sha256 attribute" in report.skipped
    assert len(imported_indicators(store.engine)) == 5
