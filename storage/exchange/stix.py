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
import uuid
from datetime import UTC, datetime
from typing import Any

import stix2

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


def _observable(i: ExchangeIndicator, marking: str) -> tuple[Any, str]:
    """The standard SCO of an indicator and its STIX pattern."""
    v = _quote(i.value)
    ext = {EXT_OBSERVABLE: {"extension_type": "property-extension", "kind": i.kind,
                            "platform": i.platform, "pseudonymised": i.pseudonymised}}
    common: dict[str, Any] = {"object_marking_refs": [marking], "extensions": ext}
    if i.pseudonymised:
        user_id = f"hmac-sha256:{i.value}"
        return (stix2.UserAccount(user_id=user_id, **common),
                f"[user-account:user_id = '{_quote(user_id)}']")
    if i.kind == "phone":
        return (stix2.UserAccount(user_id=f"tel:{i.value}", **common),
                f"[user-account:user_id = 'tel:{v}']")
    if i.kind == "email":
        return stix2.EmailAddress(value=i.value, **common), f"[email-addr:value = '{v}']"
    if i.kind == "url":
        return stix2.URL(value=i.value, **common), f"[url:value = '{v}']"
    if i.kind == "handle":
        user_id = f"{i.platform}:{i.value}"
        typed = {"account_type": i.platform} if i.platform in ACCOUNT_TYPES else {}
        return (stix2.UserAccount(account_login=i.value, user_id=user_id, **typed, **common),
                f"[user-account:user_id = '{_quote(user_id)}']")
    if i.kind == "alias":
        return (stix2.UserAccount(display_name=i.value, user_id=f"alias:{i.value}", **common),
                f"[user-account:user_id = 'alias:{v}']")
    return (stix2.File(hashes={f"x_{i.platform}": i.value}, allow_custom=True, **common),
            f"[file:hashes.x_{i.platform} = '{v}']")


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


def _indicator(i: ExchangeIndicator, pattern: str, bundle: ExportHeader,
               common: dict[str, Any]) -> Any:
    what = f"{i.kind} ({i.platform})" if i.platform else i.kind
    ext = _present({
        "extension_type": "property-extension", "kind": i.kind, "platform": i.platform,
        "value": i.value, "pseudonymised": i.pseudonymised, "score": i.score,
        "flags": list(i.flags), "first_seen": _time(i.first_seen),
        "last_seen": _time(i.last_seen), "sightings": i.sightings, "zones": list(i.zones),
    })
    return stix2.Indicator(
        id=indicator_id(bundle.zone, i), name=f"Vigie {what}",
        description=f"{what} seen in {i.sightings} ad(s) by zone {bundle.zone}"
        + (f"; flags: {', '.join(i.flags)}" if i.flags else ""),
        pattern=pattern, pattern_type="stix", indicator_types=["malicious-activity"],
        valid_from=i.first_seen or bundle.exported_at, confidence=_confidence(i.score),
        labels=list(i.flags) or None, extensions={EXT_VIGIE: ext},
        created=_created(i, bundle), **common,
    )


def _observed(i: ExchangeIndicator, observable: Any, bundle: ExportHeader,
              common: dict[str, Any]) -> Any:
    """The sightings of the value in the zone's ads, as the `observed-data` of its observable."""
    first = _created(i, bundle)
    return stix2.ObservedData(
        id="observed-data--" + stable_uuid4("vigie-observed", bundle.zone, *i.key),
        first_observed=first, last_observed=max(i.last_seen or first, first),
        number_observed=max(1, i.sightings), object_refs=[observable.id], created=first,
        **common,
    )


def _based_on(indicator: Any, observed: Any, common: dict[str, Any]) -> Any:
    return stix2.Relationship(
        id="relationship--" + stable_uuid4("based-on", indicator.id, observed.id),
        relationship_type="based-on", source_ref=indicator.id, target_ref=observed.id,
        created=indicator.created, **common,
    )


def _network_objects(n: ExchangeNetwork, refs: list[str], created: datetime,
                     common: dict[str, Any], zone: str) -> list[Any]:
    out: list[Any] = [stix2.Grouping(
        id="grouping--" + stable_uuid4("network", zone, n.network_id), name=n.network_id,
        description=f"Vigie network {n.network_id} (zones {', '.join(n.zones) or 'unknown'})",
        context="suspicious-activity", object_refs=refs, confidence=_confidence(n.risk),
        extensions={EXT_VIGIE: _present({"extension_type": "property-extension",
                                         "zones": list(n.zones), "risk": n.risk})},
        created=created, **common,
    )]
    out += [
        stix2.Relationship(
            id="relationship--" + stable_uuid4("network", zone, n.network_id, ref),
            relationship_type="related-to", source_ref=refs[0], target_ref=ref,
            description=f"same network {n.network_id}", created=created, **common,
        )
        for ref in refs[1:]
    ]
    return out


def _serialised(obj: Any) -> bytes:
    text: str = obj.serialize(ensure_ascii=False)  # compact: stix2's pretty mode is quadratic
    return text.encode("utf-8")


def _value_objects(i: ExchangeIndicator, h: ExportHeader, marking: str,
                   common: dict[str, Any]) -> list[Any]:
    """The observable of one value, its indicator, the observed-data of its sightings and the
    indicator's `based-on` relationship to it."""
    observable, pattern = _observable(i, marking)
    indicator = _indicator(i, pattern, h, common)
    observed = _observed(i, observable, h, common)
    return [observable, indicator, observed, _based_on(indicator, observed, common)]


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
