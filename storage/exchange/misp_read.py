"""Reading MISP events (PyMISP, offline): Vigie's own events whole; ordinary MISP events
(another MISP's JSON export) for what Vigie understands — phone-number, email, url attributes,
`phone-number`/`user-account` objects, TLP tags — and a report of what was skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject
from pymisp.exceptions import PyMISPError

from storage.exchange.errors import MalformedFile
from storage.exchange.model import (
    TLP_LEVELS,
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
)
from storage.exchange.stix_read import phone_e164

_META = re.compile(r"\[vigie ([^\]]*)\]\s*$")
_EXPORT = re.compile(r"^vigie-export (.*)$")
_NETWORK = re.compile(r"^Vigie network (\S+)")


def _fields(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


def _tags(attribute: MISPAttribute, predicate: str) -> list[str]:
    prefix = f'vigie:{predicate}="'
    return [t.name[len(prefix):-1] for t in attribute.tags if t.name.startswith(prefix)]


_EMAIL_TYPES = ("email", "email-src", "email-dst")
_URL_TYPES = ("url", "link")
_TLP_NAMES = {"white": "clear", **{t: t for t in TLP_LEVELS}}


def _indicator(attribute: MISPAttribute, obj: MISPObject | None) -> ExchangeIndicator | None:
    kinds = _tags(attribute, "kind")
    match = _META.search(getattr(attribute, "comment", None) or "")
    meta = _fields(match.group(1)) if match else {}
    value = str(attribute.value)
    if kinds:
        kind = kinds[0]
    elif obj is not None and obj.name in ("phone-number", "user-account"):
        kind = "phone" if obj.name == "phone-number" else "handle"
    elif attribute.type in ("phone-number", "whois-registrant-phone"):
        kind = "phone"
    elif attribute.type in _EMAIL_TYPES or attribute.type in _URL_TYPES:
        kind = "email" if attribute.type in _EMAIL_TYPES else "url"
    else:
        return None  # a foreign attribute Vigie has no kind for
    if kind == "phone" and not kinds:  # another MISP's phone: E.164 or nothing
        number = phone_e164(value)
        if number is None:
            return None
        value = number
    if kind == "email":
        value = value.lower()
    platform = meta.get("platform", "")
    if kind == "handle" and obj is not None and not platform:
        platform = next((str(a.value).lower() for a in obj.attributes
                         if getattr(a, "object_relation", None) == "account-type"), "")
        value = value.lstrip("@")
    pseudonymised = meta.get("pseudonymised") == "true"
    seen: dict[str, Any] = {k: getattr(attribute, k, None) for k in ("first_seen", "last_seen")}
    return ExchangeIndicator(
        kind=kind, value=value, platform=platform, pseudonymised=pseudonymised,
        score=float(meta.get("score", 0.0)), flags=tuple(_tags(attribute, "flag")),
        first_seen=seen["first_seen"], last_seen=seen["last_seen"],
        sightings=int(meta.get("sightings", 0)),
        zones=tuple(z for z in meta.get("zones", "").split(",") if z),
    )


def _tlp(names: list[str]) -> str:
    levels = {level for t in names if t.lower().startswith("tlp:")
              and (level := _TLP_NAMES.get(t.lower()[4:]))}
    return max(levels, key=TLP_LEVELS.index) if levels else "amber"


def _network(note: MISPObject, by_uuid: dict[str, str]) -> ExchangeNetwork | None:
    text = next(str(a.value) for a in note.attributes if a.object_relation == "text")
    found = _NETWORK.match(text)
    match = _META.search(text)
    meta = _fields(match.group(1)) if match else {}
    members = tuple(dict.fromkeys(by_uuid[r.referenced_uuid] for r in note.references
                                  if r.referenced_uuid in by_uuid))
    if found is None or not members:
        return None
    return ExchangeNetwork(found.group(1), members,
                           tuple(z for z in meta.get("zones", "").split(",") if z),
                           float(meta.get("risk", 0.0)))


def _read(event: MISPEvent) -> ExchangeBundle:
    tags = [t.name for t in event.tags]
    zone = next((t[len('vigie:zone="'):-1] for t in tags if t.startswith("vigie:zone=")), "")
    export: dict[str, str] = {}
    indicators: list[ExchangeIndicator] = []
    by_uuid: dict[str, str] = {}  # MISP UUID → indicator id, for the networks
    notes: list[MISPObject] = []
    skipped: Counter[str] = Counter()
    all_tags = list(tags)
    for attribute in event.attributes:
        all_tags += [t.name for t in attribute.tags]
        found = _EXPORT.match(str(attribute.value)) if attribute.type == "comment" else None
        if found:
            export = _fields(found.group(1))
        elif (indicator := _indicator(attribute, None)) is not None:
            indicators.append(indicator)
            by_uuid[str(attribute.uuid)] = indicator.id
        else:
            skipped[f"{attribute.type} attribute"] += 1
    for obj in event.objects:
        if obj.name == "annotation" and any(
            _NETWORK.match(str(a.value)) for a in obj.attributes if a.object_relation == "text"
        ):
            notes.append(obj)
            continue
        used = False
        for attribute in obj.attributes:
            relation = getattr(attribute, "object_relation", None)
            if relation in ("phone-number", "username") and (
                indicator := _indicator(attribute, obj)
            ) is not None:
                indicators.append(indicator)
                by_uuid[str(obj.uuid)] = indicator.id
                used = True
        if not used:
            skipped[f"{obj.name} object"] += 1
    exported = export.get("exported_at")
    day = getattr(event, "date", None)
    if exported:
        exported_at = datetime.fromisoformat(exported)
    elif day is not None:
        exported_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    else:
        exported_at = datetime.fromtimestamp(0, UTC)
    unique = {i.key: i for i in indicators}
    networks = [network for note in notes if (network := _network(note, by_uuid)) is not None]
    return ExchangeBundle(
        zone=zone, exported_at=exported_at, tlp=_tlp(tags or all_tags),
        indicators=tuple(unique.values()), networks=tuple(networks),
        pseudonymised='vigie:mode="pseudonymised"' in tags,
        pseudonym_key_id=export.get("pseudonym_key_id"),
        skipped=tuple(f"{n} {what}" for what, n in sorted(skipped.items())),
    )


def loads(data: bytes) -> ExchangeBundle:
    event = MISPEvent()
    try:
        event.load(data.decode("utf-8"))
        return _read(event)
    except (PyMISPError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise MalformedFile(f"MISP event refused: {exc}") from None
