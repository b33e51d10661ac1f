"""Reading STIX 2.1 bundles back into exchange records: Vigie's own and other tools' (OpenCTI,
the stix2 library…).

The bundle is parsed by the stix2 library first (so a malformed object is refused whole). Then
Vigie takes what it understands and reports the rest (`ExchangeBundle.skipped`):

- indicators carrying Vigie's property-extension, whole;
- other indicators, from simple patterns: `user-account:user_id = 'tel:…'`,
  `phone-number:value` (OpenCTI), `user-account:account_login` (+ `account_type`),
  `user-account:display_name`, `email-addr:value`, `url:value`, `file:hashes.x_phash|x_dhash`;
- observables (SCOs) of those kinds that no indicator names, and the names of `individual`
  identities (as aliases);
- the TLP (TLP 2.0 or STIX's TLP 1.0 markings; the strictest one found), groupings as networks.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

import stix2
from stix2.exceptions import STIXError

from storage.exchange import stix_vocab
from storage.exchange.errors import MalformedFile
from storage.exchange.jsonparse import parse_json
from storage.exchange.model import TLP_LEVELS, ExchangeBundle, ExchangeIndicator, ExchangeNetwork

_COMPARISON = re.compile(r"([a-z0-9-]+):([A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'")
_PHONE_CHARS = re.compile(r"[\s.()/-]")
_E164 = re.compile(r"^\+[1-9]\d{5,14}$")
_TLP_BY_ID = {v: k for k, v in stix_vocab.TLP2_MARKINGS.items()} | stix_vocab.TLP1_MARKINGS
_NAMED_TLP = {"white": "clear", **{t: t for t in TLP_LEVELS}}
_SDO_KNOWN = {"identity", "marking-definition", "extension-definition", "report", "grouping",
              "relationship", "observed-data", "indicator"}
_USER_PREFIXES = {"tel": "phone", "alias": "alias", "hmac-sha256": ""}


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


def phone_e164(value: str) -> str | None:
    """A foreign phone number in E.164, or None when it is not international."""
    number = _PHONE_CHARS.sub("", value)
    if number.startswith("00"):
        number = "+" + number[2:]
    return number if _E164.match(number) else None


def _user(props: dict[str, str], ext: dict[str, Any] | None) -> tuple[str, str, str] | None:
    """(kind, platform, value) of a user-account, by its properties (or pattern paths)."""
    user_id, login = props.get("user_id", ""), props.get("account_login", "")
    if ext is not None and isinstance(ext.get("kind"), str):
        platform = str(ext.get("platform", ""))
        if ext.get("pseudonymised") is True:
            return ext["kind"], platform, user_id.removeprefix("hmac-sha256:")
        if ext["kind"] == "handle" and login:
            return "handle", platform, login
        prefix, _, rest = user_id.partition(":")
        if rest and prefix in ("tel", "alias", platform):
            return ext["kind"], platform, rest
    prefix, _, rest = user_id.partition(":")
    if prefix == "tel" and rest:
        return ("phone", "", rest)
    if prefix == "alias" and rest:
        return ("alias", "", rest)
    if login:
        return "handle", props.get("account_type", "").lower(), login.lstrip("@")
    if props.get("display_name"):
        return "alias", "", props["display_name"]
    return None


def _found(kind: str, platform: str, value: str) -> tuple[str, str, str] | None:
    if kind == "phone" and not value.startswith("hmac"):
        number = phone_e164(value)
        return ("phone", "", number) if number else None
    if kind == "image":
        value = value.lower()
    return kind, platform, value


def _from_properties(obj_type: str, props: dict[str, str],
                     ext: dict[str, Any] | None) -> tuple[str, str, str] | None:
    """(kind, platform, value) from an SCO's properties or a pattern's comparisons."""
    if obj_type == "user-account":
        found = _user(props, ext)
        if found and ext is not None and ext.get("pseudonymised") is True:
            return found
        return _found(*found) if found else None
    if obj_type == "phone-number" and props.get("value"):
        return _found("phone", "", props["value"])
    if obj_type in ("email-addr", "url") and props.get("value"):
        return ("email" if obj_type == "email-addr" else "url", "", props["value"])
    if obj_type == "file":
        for algorithm in ("phash", "dhash"):
            value = props.get(f"hashes.x_{algorithm}")
            if value:
                return _found("image", algorithm, value)
    return None


def _pattern(obj: dict[str, Any]) -> ExchangeIndicator | None:
    found: dict[str, dict[str, str]] = {}
    for obj_type, path, value in _COMPARISON.findall(str(obj.get("pattern", ""))):
        found.setdefault(obj_type, {})[path.replace("'", "")] = (
            value.replace("\\'", "'").replace("\\\\", "\\"))
    for obj_type, props in found.items():
        key = _from_properties(obj_type, props, None)
        if key is not None:
            confidence = obj.get("confidence")
            return ExchangeIndicator(
                kind=key[0], platform=key[1], value=key[2],
                score=int(confidence) / 100 if isinstance(confidence, int) else 0.0,
                flags=tuple(f for f in obj.get("labels", ()) if f in ("minor", "trafficking")),
                first_seen=_time(obj.get("valid_from")),
            )
    return None


def _sco(obj: dict[str, Any]) -> tuple[str, str, str] | None:
    props = {k: v for k, v in obj.items() if isinstance(v, str)}
    for name, value in (obj.get("hashes") or {}).items():
        props[f"hashes.{name}"] = str(value)
    ext = (obj.get("extensions") or {}).get(stix_vocab.EXT_OBSERVABLE)
    return _from_properties(obj["type"], props, ext if isinstance(ext, dict) else None)


def _tlp(objects: list[dict[str, Any]], report: dict[str, Any] | None) -> str:
    named = {o["id"]: _NAMED_TLP.get(str(o.get("name", "")).lower().removeprefix("tlp:"))
             for o in objects if o.get("type") == "marking-definition"}
    sources = [report] if report and report.get("object_marking_refs") else objects
    levels = {level for o in sources for m in o.get("object_marking_refs", ())
              if (level := _TLP_BY_ID.get(m) or named.get(m))}
    return max(levels, key=TLP_LEVELS.index) if levels else "amber"


def _parse(data: bytes) -> dict[str, Any]:
    doc = parse_json(data)
    if not isinstance(doc, dict) or doc.get("type") != "bundle":
        raise MalformedFile("not a STIX bundle (no top-level object of type 'bundle')")
    try:
        stix2.parse(doc, allow_custom=True)
    except (STIXError, ValueError, TypeError, KeyError) as exc:
        raise MalformedFile(f"STIX bundle refused by the stix2 library: {exc}") from None
    return doc


def _read(objects: list[dict[str, Any]], doc: dict[str, Any]) -> ExchangeBundle:
    ext_key = stix_vocab.EXT_VIGIE
    report = next((o for o in objects if o.get("type") == "report"
                   and ext_key in o.get("extensions", {})), None)
    meta: dict[str, Any] = report["extensions"][ext_key] if report else {}
    zone = str(meta.get("zone", ""))
    skipped: Counter[str] = Counter()
    by_stix: dict[str, ExchangeIndicator] = {}
    for obj in objects:
        if obj.get("type") != "indicator":
            continue
        ext = obj.get("extensions", {}).get(ext_key)
        found = _from_extension(ext) if ext else _pattern(obj)
        if found is None:
            skipped["indicator whose pattern Vigie cannot read"] += 1
            continue
        if ext and zone and obj["id"] != stix_vocab.indicator_id(zone, found):
            raise MalformedFile(f"STIX: {obj['id']} does not match its value")
        by_stix[obj["id"]] = found
    indicators = {i.key: i for i in by_stix.values()}
    for obj in objects:
        obj_type = obj.get("type", "")
        if obj_type == "identity" and obj.get("identity_class") == "individual" and obj.get(
                "name"):  # a person's name (OpenCTI's Individual): an alias to look for
            name = str(obj["name"])
            indicators.setdefault(("alias", "", name), ExchangeIndicator(kind="alias", value=name))
            continue
        if obj_type in _SDO_KNOWN:
            continue
        key = _sco(obj) if obj_type in ("user-account", "phone-number", "email-addr", "url",
                                        "file") else None
        if key is None:
            skipped[f"{obj_type} object"] += 1
        elif key not in indicators:
            indicators[key] = ExchangeIndicator(kind=key[0], platform=key[1], value=key[2])
    networks = [
        ExchangeNetwork(
            network_id=str(o.get("name") or o["id"]),
            indicator_ids=tuple(by_stix[r].id for r in o["object_refs"] if r in by_stix),
            zones=tuple(o.get("extensions", {}).get(ext_key, {}).get("zones", ())),
            risk=float(o.get("extensions", {}).get(ext_key, {}).get("risk", 0.0)),
        )
        for o in objects if o.get("type") == "grouping"
    ]
    exported = _time((report or {}).get("published")) or _time(doc.get("created"))
    return ExchangeBundle(
        zone=zone,
        exported_at=exported or datetime.fromtimestamp(0).astimezone(),
        tlp=_tlp(objects, report),
        indicators=tuple(indicators.values()),
        networks=tuple(n for n in networks if n.indicator_ids),
        pseudonymised=bool(meta.get("pseudonymised", False)),
        pseudonym_key_id=_typed(meta, "pseudonym_key_id", (str, type(None)), None),
        filters={str(k): str(v) for k, v in meta.get("filters", {}).items()},
        skipped=tuple(f"{n} {what}" for what, n in sorted(skipped.items())),
    )


def loads(data: bytes) -> ExchangeBundle:
    doc = _parse(data)
    objects: list[dict[str, Any]] = [o for o in doc.get("objects", []) if isinstance(o, dict)]
    try:
        return _read(objects, doc)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise MalformedFile(f"STIX bundle: unexpected content ({exc})") from None
