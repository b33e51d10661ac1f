"""STIX 2.1 bundles (stix2 library): the zone as an `identity`, one `indicator` per value with its
observable, `grouping`s and `related-to` relationships for networks, TLP 2.0 markings.

STIX has no phone-number or perceptual-hash object: both are new SCOs declared by
extension-definitions (not deprecated `x-` objects). Vigie's own fields (kind, flags, score,
sightings…) ride on each indicator in a property-extension, so a Vigie → STIX → Vigie round trip
loses nothing; a foreign bundle without it is read from the indicator patterns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stix2
from stix2 import properties as p

from storage.exchange.model import (
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
    stable_uuid4,
)

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_MARKINGS = {  # the OASIS TLP 2.0 marking-definitions (cti-stix-common-objects)
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
EXT_PHONE = "extension-definition--3a8f1f55-7bb4-4d1e-9f5e-2c0d1d6a7e01"
EXT_PHASH = "extension-definition--b2f6a0c4-2d1e-4c55-8e0a-5f3c9a1b7d02"
EXT_PSEUDONYM = "extension-definition--c7d2e9b1-6a3f-4b8e-9d14-0e5a2f6c8b03"
EXT_VIGIE = "extension-definition--e41c5b7a-9f02-4d6e-8a3b-1c7d0f9e2a04"
_EXT_CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def _sco(name: str, props: list[tuple[str, Any]], id_props: list[str], ext: str) -> Any:
    """Register a new SCO type with the stix2 library (declared by extension-definition `ext`)."""
    return stix2.CustomObservable(name, props, id_props, extension_name=ext)(type(name, (), {}))


PhoneNumber = _sco(  # a telephone number in E.164
    "phone-number", [("value", p.StringProperty(required=True))], ["value"], EXT_PHONE
)
PerceptualHash = _sco(  # a 64-bit perceptual hash of an image (pHash or dHash), 16 hex digits
    "perceptual-hash",
    [("algorithm", p.StringProperty(required=True)), ("value", p.StringProperty(required=True))],
    ["algorithm", "value"],
    EXT_PHASH,
)
PseudonymisedIdentifier = _sco(  # a value replaced by HMAC-SHA256 under the zones' shared key
    "pseudonymised-identifier",
    [
        ("kind", p.StringProperty(required=True)),
        ("platform", p.StringProperty()),
        ("hmac_sha256", p.StringProperty(required=True)),
    ],
    ["kind", "hmac_sha256"],
    EXT_PSEUDONYM,
)


_EXTENSIONS = (
    (EXT_PHONE, "phone-number", "new-sco", "A telephone number in E.164 format."),
    (EXT_PHASH, "perceptual-hash", "new-sco", "A 64-bit perceptual image hash, 16 hex digits."),
    (EXT_PSEUDONYM, "pseudonymised-identifier", "new-sco",
     "An identifier replaced by HMAC-SHA256 under a key shared by the Brussels police zones."),
    (EXT_VIGIE, "vigie-indicator", "property-extension",
     "Vigie's fields of an indicator (kind, value, flags, score, sightings, zones) and of an "
     "export (zone, pseudonymisation)."),
)


def _identity(zone: str) -> stix2.Identity:
    return stix2.Identity(
        id="identity--" + stable_uuid4("vigie-zone", zone),
        created=_EXT_CREATED, modified=_EXT_CREATED,
        name=f"Brussels police zone {zone}", identity_class="organization",
        description=f"Vigie, police zone {zone} (Brussels-Capital Region)",
    )


def _marking(tlp: str) -> stix2.MarkingDefinition:
    return stix2.MarkingDefinition(
        id=TLP2_MARKINGS[tlp], created="2022-10-01T00:00:00.000Z", name=f"TLP:{tlp.upper()}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}},
    )


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _observable(i: ExchangeIndicator) -> tuple[Any, str]:
    """The SCO of an indicator and its STIX pattern."""
    v = _quote(i.value)
    if i.pseudonymised:
        return (PseudonymisedIdentifier(kind=i.kind, platform=i.platform, hmac_sha256=i.value),
                f"[pseudonymised-identifier:hmac_sha256 = '{v}']")
    if i.kind == "phone":
        return PhoneNumber(value=i.value), f"[phone-number:value = '{v}']"
    if i.kind == "email":
        return stix2.EmailAddress(value=i.value), f"[email-addr:value = '{v}']"
    if i.kind == "url":
        return stix2.URL(value=i.value), f"[url:value = '{v}']"
    if i.kind == "handle":
        return (stix2.UserAccount(account_login=i.value, account_type=i.platform),
                f"[user-account:account_login = '{v}' AND "
                f"user-account:account_type = '{_quote(i.platform)}']")
    if i.kind == "alias":
        return stix2.UserAccount(display_name=i.value), f"[user-account:display_name = '{v}']"
    return (PerceptualHash(algorithm=i.platform, value=i.value),
            f"[perceptual-hash:value = '{v}']")


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


def _indicator(i: ExchangeIndicator, bundle: ExchangeBundle, common: dict[str, Any]) -> Any:
    _, pattern = _observable(i)
    what = f"{i.kind} ({i.platform})" if i.platform else i.kind
    ext = {
        "extension_type": "property-extension", "kind": i.kind, "platform": i.platform,
        "value": i.value, "pseudonymised": i.pseudonymised, "score": i.score,
        "flags": list(i.flags), "first_seen": _time(i.first_seen),
        "last_seen": _time(i.last_seen), "sightings": i.sightings, "zones": list(i.zones),
    }
    ext = _present(ext)
    return stix2.Indicator(
        id="indicator--" + i.id, name=f"Vigie {what}",
        description=f"{what} seen in {i.sightings} ad(s) by zone {bundle.zone}"
        + (f"; flags: {', '.join(i.flags)}" if i.flags else ""),
        pattern=pattern, pattern_type="stix", indicator_types=["malicious-activity"],
        valid_from=i.first_seen or bundle.exported_at, confidence=_confidence(i.score),
        labels=list(i.flags) or None, extensions={EXT_VIGIE: ext}, **common,
    )


def _network_objects(n: ExchangeNetwork, common: dict[str, Any]) -> list[Any]:
    refs = ["indicator--" + i for i in n.indicator_ids]
    out: list[Any] = [stix2.Grouping(
        id="grouping--" + stable_uuid4("network", n.network_id), name=n.network_id,
        description=f"Vigie network {n.network_id} (zones {', '.join(n.zones) or 'unknown'})",
        context="suspicious-activity", object_refs=refs, confidence=_confidence(n.risk),
        extensions={EXT_VIGIE: _present({"extension_type": "property-extension",
                                         "zones": list(n.zones), "risk": n.risk})},
        **common,
    )]
    out += [
        stix2.Relationship(
            id="relationship--" + stable_uuid4("network", n.network_id, ref),
            relationship_type="related-to", source_ref=refs[0], target_ref=ref,
            description=f"same network {n.network_id}", **common,
        )
        for ref in refs[1:]
    ]
    return out


def dumps(bundle: ExchangeBundle) -> bytes:
    identity = _identity(bundle.zone)
    common = {"created_by_ref": identity.id, "object_marking_refs": [TLP2_MARKINGS[bundle.tlp]],
              "created": bundle.exported_at, "modified": bundle.exported_at}
    objects: list[Any] = [identity, _marking(bundle.tlp)]
    objects += [
        stix2.ExtensionDefinition(
            id=ext_id, created_by_ref=identity.id, created=_EXT_CREATED, modified=_EXT_CREATED,
            name=name, description=text, version="1.0.0", extension_types=[kind],
            schema="https://vigie.invalid/stix/" + name + ".json",
        )
        for ext_id, name, kind, text in _EXTENSIONS
    ]
    indicators = [_indicator(i, bundle, common) for i in bundle.indicators]
    observables = list({o.id: o for o in (_observable(i)[0] for i in bundle.indicators)}.values())
    networks = [o for n in bundle.networks for o in _network_objects(n, common)]
    report = stix2.Report(
        id="report--" + stable_uuid4("export", bundle.zone, bundle.exported_at.isoformat()),
        name=f"Vigie export of zone {bundle.zone}", published=bundle.exported_at,
        description="Indicators shared between the Brussels police zones.",
        report_types=["indicator"], object_refs=[identity.id] + [o.id for o in indicators],
        extensions={EXT_VIGIE: _present({
            "extension_type": "property-extension", "zone": bundle.zone,
            "pseudonymised": bundle.pseudonymised, "pseudonym_key_id": bundle.pseudonym_key_id,
            "filters": dict(bundle.filters),
        })},
        **common,
    )
    out = stix2.Bundle(*objects, *observables, *indicators, *networks, report)
    text: str = out.serialize(pretty=True)
    return (text + "\n").encode("utf-8")

