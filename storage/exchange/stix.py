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
"""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import stix2
from stix2.canonicalization.Canonicalize import canonicalize

from storage.exchange.model import (
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
    ExportHeader,
    stable_uuid4,
)
from storage.exchange.source import BundleSource, ExportSource, Output

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_MARKINGS = {  # the OASIS TLP 2.0 marking-definitions (cti-stix-common-objects)
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1_MARKINGS = {  # STIX 2.1's own TLP 1.0 markings (what OpenCTI and older tools write)
    stix2.TLP_WHITE.id: "clear",
    stix2.TLP_GREEN.id: "green",
    stix2.TLP_AMBER.id: "amber",
    stix2.TLP_RED.id: "red",
}
EXT_OBSERVABLE = "extension-definition--3a8f1f55-7bb4-4d1e-9f5e-2c0d1d6a7e01"
EXT_VIGIE = "extension-definition--e41c5b7a-9f02-4d6e-8a3b-1c7d0f9e2a04"
_EXT_CREATED = datetime(2026, 1, 1, tzinfo=UTC)
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
"""The specification's namespace for SCO ids (STIX 2.1, 2.9)."""
ACCOUNT_TYPES = frozenset({"twitter", "facebook", "skype"})
"""Platforms in STIX's account-type vocabulary (the others go in `user_id` only)."""

_EXTENSIONS = (
    (EXT_OBSERVABLE, "vigie-observable",
     "What a Vigie observable is (kind: phone, handle, alias, email, url, image; platform; "
     "pseudonymised)."),
    (EXT_VIGIE, "vigie-indicator",
     "Vigie's fields of an indicator (kind, value, flags, score, sightings, zones) and of an "
     "export (zone, pseudonymisation)."),
)


def identity_id(zone: str) -> str:
    return "identity--" + stable_uuid4("vigie-zone", zone)


def indicator_id(zone: str, i: ExchangeIndicator) -> str:
    """The indicator's STIX id: specific to the exporting zone and stable across exports."""
    return "indicator--" + stable_uuid4("vigie-indicator", zone, *i.key)


def _identity(zone: str, marking: str) -> stix2.Identity:
    return stix2.Identity(
        id=identity_id(zone), created=_EXT_CREATED, modified=_EXT_CREATED,
        name=f"Brussels police zone {zone}", identity_class="organization",
        description=f"Vigie, police zone {zone} (Brussels-Capital Region)",
        object_marking_refs=[marking],
    )


def _marking(tlp: str) -> stix2.MarkingDefinition:
    return stix2.MarkingDefinition(
        id=TLP2_MARKINGS[tlp], created="2022-10-01T00:00:00.000Z", name=f"TLP:{tlp.upper()}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}},
    )


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


@lru_cache(maxsize=8192)  # one export repeats its few export times and sighting times
def _stamp(value: datetime, millis: bool = False) -> str:
    """A STIX timestamp as the stix2 library writes it (`millis`: created/modified, at least
    millisecond precision)."""
    utc = value.astimezone(UTC)
    frac = f"{utc.microsecond:06d}".rstrip("0")
    if millis:
        frac = frac.ljust(3, "0")
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "") + "Z"


def _sco_id(kind: str, contributing: dict[str, Any]) -> str:
    """The id the specification derives for an SCO: UUIDv5 of its id-contributing properties
    in canonical JSON (RFC 8785), as the stix2 library computes it."""
    data = canonicalize(contributing, utf8=False)
    return f"{kind}--{uuid.uuid5(SCO_NAMESPACE, data)}"


def _observable(i: ExchangeIndicator, marking: str) -> tuple[dict[str, Any], str]:
    """The standard SCO of an indicator and its STIX pattern.

    Built as plain JSON (the stix2 library's objects cost milliseconds each, their pattern
    parser most); `tests/storage/exchange/test_stix.py` checks each against the library."""
    v = _quote(i.value)
    ext = {EXT_OBSERVABLE: {"extension_type": "property-extension", "kind": i.kind,
                            "platform": i.platform, "pseudonymised": i.pseudonymised}}
    kind: str
    props: dict[str, Any]
    if i.pseudonymised:
        kind, props = "user-account", {"user_id": f"hmac-sha256:{i.value}"}
        pattern = f"[user-account:user_id = '{_quote(props['user_id'])}']"
    elif i.kind == "phone":
        kind, props = "user-account", {"user_id": f"tel:{i.value}"}
        pattern = f"[user-account:user_id = 'tel:{v}']"
    elif i.kind in ("email", "url"):
        kind, props = ("email-addr" if i.kind == "email" else "url"), {"value": i.value}
        pattern = f"[{kind}:value = '{v}']"
    elif i.kind == "handle":
        kind, props = "user-account", {"user_id": f"{i.platform}:{i.value}",
                                       "account_login": i.value}
        if i.platform in ACCOUNT_TYPES:
            props["account_type"] = i.platform
        pattern = f"[user-account:user_id = '{_quote(props['user_id'])}']"
    elif i.kind == "alias":
        kind, props = "user-account", {"user_id": f"alias:{i.value}", "display_name": i.value}
        pattern = f"[user-account:user_id = 'alias:{v}']"
    else:
        kind, props = "file", {"hashes": {f"x_{i.platform}": i.value}}
        pattern = f"[file:hashes.x_{i.platform} = '{v}']"
    contributing = {k: props[k] for k in _ID_PROPERTIES[kind] if k in props}
    if kind == "file":
        contributing["extensions"] = ext
    sco = {"type": kind, "spec_version": "2.1", "id": _sco_id(kind, contributing), **props,
           "object_marking_refs": [marking], "extensions": ext}
    return sco, pattern


_ID_PROPERTIES = {  # the specification's id-contributing properties of the SCOs used here
    "user-account": ("account_type", "user_id", "account_login"),
    "email-addr": ("value",),
    "url": ("value",),
    "file": ("hashes",),  # and extensions, added when present
}


def _present(doc: dict[str, Any]) -> dict[str, Any]:
    """STIX allows neither null properties nor empty lists: leave them out."""
    return {k: v for k, v in doc.items() if v is not None and v != [] and v != {}}


def _confidence(score: float) -> int:
    confidence = round(score * 100)
    if not 0 <= confidence <= 100:  # the stix2 library does not check the range
        raise ValueError(f"confidence {confidence} outside 0–100 (score {score})")
    return confidence


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _created(i: ExchangeIndicator, h: ExportHeader) -> datetime:
    """An object's `created` must not change between versions: the value's first sighting."""
    return min(i.first_seen or h.exported_at, h.exported_at)


def _sdo(kind: str, object_id: str, created: datetime, common: dict[str, Any],
         **props: Any) -> dict[str, Any]:
    """A STIX domain or relationship object by the exporting zone, under the export's marking."""
    return {"type": kind, "spec_version": "2.1", "id": object_id,
            "created_by_ref": common["created_by_ref"], "created": _stamp(created, True),
            "modified": _stamp(common["modified"], True), **_present(props),
            "object_marking_refs": common["object_marking_refs"]}


def _indicator(i: ExchangeIndicator, pattern: str, h: ExportHeader,
               common: dict[str, Any]) -> dict[str, Any]:
    what = f"{i.kind} ({i.platform})" if i.platform else i.kind
    ext = _present({
        "extension_type": "property-extension", "kind": i.kind, "platform": i.platform,
        "value": i.value, "pseudonymised": i.pseudonymised, "score": i.score,
        "flags": list(i.flags), "first_seen": _time(i.first_seen),
        "last_seen": _time(i.last_seen), "sightings": i.sightings, "zones": list(i.zones),
    })
    return _sdo(
        "indicator", indicator_id(h.zone, i), _created(i, h), common, name=f"Vigie {what}",
        description=f"{what} seen in {i.sightings} ad(s) by zone {h.zone}"
        + (f"; flags: {', '.join(i.flags)}" if i.flags else ""),
        indicator_types=["malicious-activity"], pattern=pattern, pattern_type="stix",
        pattern_version="2.1", valid_from=_stamp(i.first_seen or h.exported_at),
        labels=list(i.flags), confidence=_confidence(i.score), extensions={EXT_VIGIE: ext},
    )


def _observed(i: ExchangeIndicator, observable: dict[str, Any], h: ExportHeader,
              common: dict[str, Any]) -> dict[str, Any]:
    """The sightings of the value in the zone's ads, as the `observed-data` of its observable."""
    first = _created(i, h)
    return _sdo(
        "observed-data", "observed-data--" + stable_uuid4("vigie-observed", h.zone, *i.key),
        first, common, first_observed=_stamp(first),
        last_observed=_stamp(max(i.last_seen or first, first)),
        number_observed=max(1, i.sightings), object_refs=[observable["id"]],
    )


def _based_on(indicator: dict[str, Any], observed: dict[str, Any], created: datetime,
              common: dict[str, Any]) -> dict[str, Any]:
    return _sdo(
        "relationship", "relationship--" + stable_uuid4("based-on", indicator["id"],
                                                        observed["id"]),
        created, common, relationship_type="based-on", source_ref=indicator["id"],
        target_ref=observed["id"],
    )


def _network_objects(n: ExchangeNetwork, refs: list[str], created: datetime,
                     common: dict[str, Any], zone: str) -> list[dict[str, Any]]:
    out = [_sdo(
        "grouping", "grouping--" + stable_uuid4("network", zone, n.network_id), created, common,
        name=n.network_id,
        description=f"Vigie network {n.network_id} (zones {', '.join(n.zones) or 'unknown'})",
        context="suspicious-activity", object_refs=refs, confidence=_confidence(n.risk),
        extensions={EXT_VIGIE: _present({"extension_type": "property-extension",
                                         "zones": list(n.zones), "risk": n.risk})},
    )]
    out += [
        _sdo("relationship", "relationship--" + stable_uuid4("network", zone, n.network_id, ref),
             created, common, relationship_type="related-to",
             description=f"same network {n.network_id}", source_ref=refs[0], target_ref=ref)
        for ref in refs[1:]
    ]
    return out


def _serialised(obj: Any) -> bytes:
    """One object, compact (stix2's pretty mode is quadratic in the objects)."""
    if isinstance(obj, dict):
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")
    text: str = obj.serialize(ensure_ascii=False)
    return text.encode("utf-8")


def _value_objects(i: ExchangeIndicator, h: ExportHeader, marking: str,
                   common: dict[str, Any]) -> list[dict[str, Any]]:
    """The observable of one value, its indicator, the observed-data of its sightings and the
    indicator's `based-on` relationship to it."""
    observable, pattern = _observable(i, marking)
    indicator = _indicator(i, pattern, h, common)
    observed = _observed(i, observable, h, common)
    return [observable, indicator, observed, _based_on(indicator, observed, _created(i, h),
                                                       common)]


def _report(h: ExportHeader, identity: str, common: dict[str, Any]) -> Any:
    return stix2.Report(
        id="report--" + stable_uuid4("export", h.zone, h.exported_at.isoformat()),
        name=f"Vigie export of zone {h.zone}", published=h.exported_at,
        description="Indicators shared between the Brussels police zones.",
        report_types=["indicator"], object_refs=[identity],
        extensions={EXT_VIGIE: _present({
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
            id=ext_id, created_by_ref=identity.id, created=_EXT_CREATED, modified=_EXT_CREATED,
            name=name, description=text, version="1.0.0", extension_types=["property-extension"],
            schema="https://vigie.invalid/stix/" + name + ".json",
        )
        for ext_id, name, text in _EXTENSIONS
    ]
    out.write(f'{{"type": "bundle", "id": "bundle--{uuid.uuid4()}", "objects": ['.encode())
    out.write(b", ".join(_serialised(o) for o in head))
    for i in source.indicators():
        out.write(b", " + b", ".join(_serialised(o) for o in _value_objects(i, h, marking, common)))
    for n, members in source.networks():
        if members:
            refs = [indicator_id(h.zone, m) for m in members]
            created = min(_created(m, h) for m in members)
            for obj in _network_objects(n, refs, created, common, h.zone):
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
