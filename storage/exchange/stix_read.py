"""Reading STIX 2.1 bundles back into exchange records (Vigie's own and foreign ones).

The bundle is parsed by the stix2 library first (so a malformed object is refused whole); the
indicators are then read from Vigie's property-extension, or else from simple patterns
(`[phone-number:value = '…']`, `[email-addr:value = '…']`, `[url:value = '…']`,
`[user-account:account_login = '…']`, `[perceptual-hash:value = '…']`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import stix2
from stix2.exceptions import STIXError

from storage.exchange import stix as _stix  # registers the custom observables
from storage.exchange.errors import MalformedFile
from storage.exchange.jsonparse import parse_json
from storage.exchange.model import ExchangeBundle, ExchangeIndicator, ExchangeNetwork

_COMPARISON = re.compile(r"([a-z0-9-]+):([a-z_]+)\s*=\s*'((?:[^'\\]|\\.)*)'")
_BY_PATH = {
    ("phone-number", "value"): ("phone", ""),
    ("email-addr", "value"): ("email", ""),
    ("url", "value"): ("url", ""),
    ("user-account", "account_login"): ("handle", ""),
    ("user-account", "display_name"): ("alias", ""),
    ("perceptual-hash", "value"): ("image", "phash"),
}
_TLP_BY_ID = {v: k for k, v in _stix.TLP2_MARKINGS.items()}


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def _typed(ext: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = ext.get(name, default)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
        raise MalformedFile(f"STIX: extension property {name!r} has the wrong type")
    return value


def _strings(ext: dict[str, Any], name: str) -> tuple[str, ...]:
    values = _typed(ext, name, list, [])
    if not all(isinstance(v, str) for v in values):
        raise MalformedFile(f"STIX: extension property {name!r} is not a list of strings")
    return tuple(values)


def _from_extension(ext: dict[str, Any]) -> ExchangeIndicator:
    """An indicator from Vigie's property-extension, every property of its exact type."""
    return ExchangeIndicator(
        kind=_typed(ext, "kind", str, None), value=_typed(ext, "value", str, None),
        platform=_typed(ext, "platform", str, ""),
        pseudonymised=_typed(ext, "pseudonymised", bool, False),
        score=float(_typed(ext, "score", (int, float), 0.0)), flags=_strings(ext, "flags"),
        first_seen=_time(_typed(ext, "first_seen", (str, type(None)), None)),
        last_seen=_time(_typed(ext, "last_seen", (str, type(None)), None)),
        sightings=_typed(ext, "sightings", int, 0), zones=_strings(ext, "zones"),
    )


def _from_pattern(obj: dict[str, Any]) -> ExchangeIndicator | None:
    found = {(t, prop): v.replace("\\'", "'").replace("\\\\", "\\")
             for t, prop, v in _COMPARISON.findall(str(obj.get("pattern", "")))}
    for path, (kind, platform) in _BY_PATH.items():
        if path in found:
            if kind == "handle":
                platform = found.get(("user-account", "account_type"), "")
            confidence = obj.get("confidence")
            return ExchangeIndicator(
                kind=kind, value=found[path], platform=platform,
                score=int(confidence) / 100 if confidence is not None else 0.0,
                flags=tuple(f for f in obj.get("labels", ()) if f in ("minor", "trafficking")),
                first_seen=_time(obj.get("valid_from")),
            )
    return None


def _parse(data: bytes) -> dict[str, Any]:
    doc = parse_json(data)
    if not isinstance(doc, dict) or doc.get("type") != "bundle":
        raise MalformedFile("not a STIX bundle (no top-level object of type 'bundle')")
    try:
        stix2.parse(doc, allow_custom=True)
    except (STIXError, ValueError, TypeError, KeyError) as exc:
        raise MalformedFile(f"STIX bundle refused by the stix2 library: {exc}") from None
    return doc


def loads(data: bytes) -> ExchangeBundle:
    doc = _parse(data)
    objects: list[dict[str, Any]] = [o for o in doc.get("objects", []) if isinstance(o, dict)]
    ext_key = _stix.EXT_VIGIE
    try:
        indicators: dict[str, ExchangeIndicator] = {}
        for obj in objects:
            if obj.get("type") != "indicator":
                continue
            ext = obj.get("extensions", {}).get(ext_key)
            found = _from_extension(ext) if ext else _from_pattern(obj)
            if found is not None:
                if ext and obj["id"] != "indicator--" + found.id:
                    raise MalformedFile(f"STIX: {obj['id']} does not match its value")
                indicators[obj["id"]] = found
        report = next((o for o in objects if o.get("type") == "report"
                       and ext_key in o.get("extensions", {})), None)
        meta: dict[str, Any] = report["extensions"][ext_key] if report else {}
        networks = [
            ExchangeNetwork(
                network_id=str(o["name"]),
                indicator_ids=tuple(r.removeprefix("indicator--") for r in o["object_refs"]
                                    if r in indicators),
                zones=tuple(o.get("extensions", {}).get(ext_key, {}).get("zones", ())),
                risk=float(o.get("extensions", {}).get(ext_key, {}).get("risk", 0.0)),
            )
            for o in objects if o.get("type") == "grouping"
        ]
        markings = (report or {}).get("object_marking_refs", [])
        tlp = next((_TLP_BY_ID[m] for m in markings if m in _TLP_BY_ID), "amber")
        exported = _time((report or {}).get("published")) or _time(doc.get("created"))
        return ExchangeBundle(
            zone=str(meta.get("zone", "")),
            exported_at=exported or datetime.fromtimestamp(0).astimezone(),
            tlp=tlp,
            indicators=tuple(indicators.values()),
            networks=tuple(n for n in networks if n.indicator_ids),
            pseudonymised=bool(meta.get("pseudonymised", False)),
            pseudonym_key_id=_typed(meta, "pseudonym_key_id", (str, type(None)), None),
            filters={str(k): str(v) for k, v in meta.get("filters", {}).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise MalformedFile(f"STIX bundle: unexpected content ({exc})") from None
