"""STIX 2.1 bundles (stix2 library), clean under `stix2-validator --strict`.

Only standard objects: the zone is an `identity`; each value an `indicator` with its
observable (a standard SCO whose id the stix2 library derives as the specification's UUIDv5 from
its id-contributing properties), the `observed-data` of its sightings, and a `based-on`
relationship from the indicator to that observed-data (the target the specification suggests;
the validator refuses `based-on` straight to an SCO); networks are
`grouping`s with `related-to` relationships; every object carrying data has the export's TLP 2.0
marking. The observables:

- phone: `user-account` with `user_id` `tel:+32…` (an RFC 3966 URI; STIX has no phone object);
- handle: `user-account` with `account_login`, `user_id` `PLATFORM:LOGIN` and `account_type`
  when the platform is in the account-type vocabulary (twitter, facebook, skype);
- alias (advertised name): `user-account` with `display_name` and `user_id` `alias:NAME`;
- email, URL: `email-addr`, `url`;
- image: `file` with `hashes` `x_phash` / `x_dhash` (custom hash names, prefixed as the
  specification asks);
- pseudonymised value: `user-account` with `user_id` `hmac-sha256:HEX`.

Vigie's own fields (kind, platform, flags, score, sightings…) ride in property-extensions
declared by `extension-definition`s, so a Vigie → STIX → Vigie round trip loses nothing; a foreign
bundle is read from its observables and patterns (`stix_read`).

Ids: SDOs and SROs take deterministic ids (UUIDv4 layout, as the validator wants) derived from
the exporting zone and the value, so two identical exports have the same ids and two zones'
indicators of one phone do not collide (an OpenCTI platform keeps both, by author).

The vocabulary and ids live in `stix_vocab`, the objects of a value and of a network in
`stix_objects`; this module writes the bundle.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import stix2

from storage.exchange.model import ExchangeBundle, ExportHeader, stable_uuid4
from storage.exchange.source import BundleSource, ExportSource, Output
from storage.exchange.stix_objects import created_of, network_objects, present, value_objects
from storage.exchange.stix_vocab import (
    EXT_CREATED,
    EXT_OBSERVABLE,
    EXT_VIGIE,
    EXTENSIONS,
    TLP1_MARKINGS,
    TLP2_EXTENSION,
    TLP2_MARKINGS,
    identity_id,
    indicator_id,
)

__all__ = [
    "EXT_OBSERVABLE",
    "EXT_VIGIE",
    "TLP1_MARKINGS",
    "TLP2_EXTENSION",
    "TLP2_MARKINGS",
    "dumps",
    "identity_id",
    "indicator_id",
    "write",
]


def _identity(zone: str, marking: str) -> stix2.Identity:
    return stix2.Identity(
        id=identity_id(zone), created=EXT_CREATED, modified=EXT_CREATED,
        name=f"Brussels police zone {zone}", identity_class="organization",
        description=f"Vigie, police zone {zone} (Brussels-Capital Region)",
        object_marking_refs=[marking],
    )


def _marking(tlp: str) -> stix2.MarkingDefinition:
    return stix2.MarkingDefinition(
        id=TLP2_MARKINGS[tlp], created="2022-10-01T00:00:00.000Z", name=f"TLP:{tlp.upper()}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}},
    )


def _serialised(obj: Any) -> bytes:
    """One object, compact (stix2's pretty mode is quadratic in the objects)."""
    if isinstance(obj, dict):
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")
    text: str = obj.serialize(ensure_ascii=False)
    return text.encode("utf-8")


def _report(h: ExportHeader, identity: str, common: dict[str, Any]) -> Any:
    return stix2.Report(
        id="report--" + stable_uuid4("export", h.zone, h.exported_at.isoformat()),
        name=f"Vigie export of zone {h.zone}", published=h.exported_at,
        description="Indicators shared between the Brussels police zones.",
        report_types=["indicator"], object_refs=[identity],
        extensions={EXT_VIGIE: present({
            "extension_type": "property-extension", "zone": h.zone,
            "pseudonymised": h.pseudonymised, "pseudonym_key_id": h.pseudonym_key_id,
            "filters": dict(h.filters),
        })},
        created=h.exported_at, **common,
    )


def write(source: ExportSource, out: Output) -> None:
    """Write the STIX bundle of `source` to `out`, one object at a time, compact (one line)."""
    h = source.header
    marking = TLP2_MARKINGS[h.tlp]
    identity = _identity(h.zone, marking)
    common = {"created_by_ref": identity.id, "object_marking_refs": [marking],
              "modified": h.exported_at}
    head: list[Any] = [identity, _marking(h.tlp)]
    head += [
        stix2.ExtensionDefinition(
            id=ext_id, created_by_ref=identity.id, created=EXT_CREATED, modified=EXT_CREATED,
            name=name, description=text, version="1.0.0", extension_types=["property-extension"],
            schema="https://vigie.invalid/stix/" + name + ".json",
        )
        for ext_id, name, text in EXTENSIONS
    ]
    out.write(f'{{"type": "bundle", "id": "bundle--{uuid.uuid4()}", "objects": ['.encode())
    out.write(b", ".join(_serialised(o) for o in head))
    for i in source.indicators():
        out.write(b", " + b", ".join(_serialised(o) for o in value_objects(i, h, marking, common)))
    for n, members in source.networks():
        if members:
            refs = [indicator_id(h.zone, m) for m in members]
            created = min(created_of(m, h) for m in members)
            for obj in network_objects(n, refs, created, common, h.zone):
                out.write(b", " + _serialised(obj))
    # The report lists every indicator: its object_refs are written as they are read.
    report = _serialised(_report(h, identity.id, common))
    listed = f'"object_refs": ["{identity.id}"'.encode()
    before, after = report.split(listed, 1)
    out.write(b", " + before + listed)
    for i in source.indicators():
        out.write(f', "{indicator_id(h.zone, i)}"'.encode())
    out.write(after + b"]}\n")


def dumps(bundle: ExchangeBundle) -> bytes:
    out = io.BytesIO()
    write(BundleSource(bundle), out)
    return out.getvalue()
