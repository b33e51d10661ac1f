"""The STIX objects of one exported value and of one network, built as plain JSON (the stix2
library's objects cost milliseconds each, their pattern parser most): the value's standard
observable (SCO, its id the specification's UUIDv5) and STIX pattern, its `indicator`, the
`observed-data` of its sightings and the `based-on` relationship between them; a network's
`grouping` and `related-to` relationships. `stix` writes them into the bundle."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from stix2.canonicalization.Canonicalize import canonicalize

from storage.exchange.model import (
    ExchangeIndicator,
    ExchangeNetwork,
    ExportHeader,
    stable_uuid4,
)
from storage.exchange.stix_vocab import (
    ACCOUNT_TYPES,
    EXT_OBSERVABLE,
    EXT_VIGIE,
    SCO_NAMESPACE,
    indicator_id,
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
    ext = {
        EXT_OBSERVABLE: {
            "extension_type": "property-extension",
            "kind": i.kind,
            "platform": i.platform,
            "pseudonymised": i.pseudonymised,
        }
    }
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
        kind, props = (
            "user-account",
            {"user_id": f"{i.platform}:{i.value}", "account_login": i.value},
        )
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
    sco = {
        "type": kind,
        "spec_version": "2.1",
        "id": _sco_id(kind, contributing),
        **props,
        "object_marking_refs": [marking],
        "extensions": ext,
    }
    return sco, pattern


_ID_PROPERTIES = {  # the specification's id-contributing properties of the SCOs used here
    "user-account": ("account_type", "user_id", "account_login"),
    "email-addr": ("value",),
    "url": ("value",),
    "file": ("hashes",),  # and extensions, added when present
}


def present(doc: dict[str, Any]) -> dict[str, Any]:
    """STIX allows neither null properties nor empty lists: leave them out."""
    return {k: v for k, v in doc.items() if v is not None and v != [] and v != {}}


def _confidence(score: float) -> int:
    confidence = round(score * 100)
    if not 0 <= confidence <= 100:  # the stix2 library does not check the range
        raise ValueError(f"confidence {confidence} outside 0–100 (score {score})")
    return confidence


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def created_of(i: ExchangeIndicator, h: ExportHeader) -> datetime:
    """An object's `created` must not change between versions: the value's first sighting."""
    return min(i.first_seen or h.exported_at, h.exported_at)


def _sdo(
    kind: str, object_id: str, created: datetime, common: dict[str, Any], **props: Any
) -> dict[str, Any]:
    """A STIX domain or relationship object by the exporting zone, under the export's marking."""
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": object_id,
        "created_by_ref": common["created_by_ref"],
        "created": _stamp(created, True),
        "modified": _stamp(common["modified"], True),
        **present(props),
        "object_marking_refs": common["object_marking_refs"],
    }


def _indicator(
    i: ExchangeIndicator, pattern: str, h: ExportHeader, common: dict[str, Any]
) -> dict[str, Any]:
    what = f"{i.kind} ({i.platform})" if i.platform else i.kind
    ext = present(
        {
            "extension_type": "property-extension",
            "kind": i.kind,
            "platform": i.platform,
            "value": i.value,
            "pseudonymised": i.pseudonymised,
            "score": i.score,
            "flags": list(i.flags),
            "first_seen": _time(i.first_seen),
            "last_seen": _time(i.last_seen),
            "sightings": i.sightings,
            "zones": list(i.zones),
        }
    )
    return _sdo(
        "indicator",
        indicator_id(h.zone, i),
        created_of(i, h),
        common,
        name=f"Vigie {what}",
        description=f"{what} seen in {i.sightings} ad(s) by zone {h.zone}"
        + (f"; flags: {', '.join(i.flags)}" if i.flags else ""),
        indicator_types=["malicious-activity"],
        pattern=pattern,
        pattern_type="stix",
        pattern_version="2.1",
        valid_from=_stamp(i.first_seen or h.exported_at),
        labels=list(i.flags),
        confidence=_confidence(i.score),
        extensions={EXT_VIGIE: ext},
    )


def _observed(
    i: ExchangeIndicator, observable: dict[str, Any], h: ExportHeader, common: dict[str, Any]
) -> dict[str, Any]:
    """The sightings of the value in the zone's ads, as the `observed-data` of its observable."""
    first = created_of(i, h)
    return _sdo(
        "observed-data",
        "observed-data--" + stable_uuid4("vigie-observed", h.zone, *i.key),
        first,
        common,
        first_observed=_stamp(first),
        last_observed=_stamp(max(i.last_seen or first, first)),
        number_observed=max(1, i.sightings),
        object_refs=[observable["id"]],
    )


def _based_on(
    indicator: dict[str, Any], observed: dict[str, Any], created: datetime, common: dict[str, Any]
) -> dict[str, Any]:
    return _sdo(
        "relationship",
        "relationship--" + stable_uuid4("based-on", indicator["id"], observed["id"]),
        created,
        common,
        relationship_type="based-on",
        source_ref=indicator["id"],
        target_ref=observed["id"],
    )


def network_objects(
    n: ExchangeNetwork, refs: list[str], created: datetime, common: dict[str, Any], zone: str
) -> list[dict[str, Any]]:
    out = [
        _sdo(
            "grouping",
            "grouping--" + stable_uuid4("network", zone, n.network_id),
            created,
            common,
            name=n.network_id,
            description=f"Vigie network {n.network_id} (zones {', '.join(n.zones) or 'unknown'})",
            context="suspicious-activity",
            object_refs=refs,
            confidence=_confidence(n.risk),
            extensions={
                EXT_VIGIE: present(
                    {"extension_type": "property-extension", "zones": list(n.zones), "risk": n.risk}
                )
            },
        )
    ]
    out += [
        _sdo(
            "relationship",
            "relationship--" + stable_uuid4("network", zone, n.network_id, ref),
            created,
            common,
            relationship_type="related-to",
            description=f"same network {n.network_id}",
            source_ref=refs[0],
            target_ref=ref,
        )
        for ref in refs[1:]
    ]
    return out


def value_objects(
    i: ExchangeIndicator, h: ExportHeader, marking: str, common: dict[str, Any]
) -> list[dict[str, Any]]:
    """The observable of one value, its indicator, the observed-data of its sightings and the
    indicator's `based-on` relationship to it."""
    observable, pattern = _observable(i, marking)
    indicator = _indicator(i, pattern, h, common)
    observed = _observed(i, observable, h, common)
    return [
        observable,
        indicator,
        observed,
        _based_on(indicator, observed, created_of(i, h), common),
    ]
