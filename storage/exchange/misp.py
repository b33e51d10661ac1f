"""MISP events (PyMISP, offline): one event per export.

Phones in clear are `phone-number` objects and handles `user-account` objects (strict
templates); emails and URLs are attributes of their MISP types; image hashes, aliases and
pseudonymised values are `text` attributes whose comment says exactly what they are. Tags:
TLP 2.0 on the event, the local `vigie` taxonomy (schema/misp-taxonomy-vigie.json) for kinds,
flags, the zone and the mode. Each comment ends with `[vigie …]`, the fields MISP has no place
for (platform, score, sightings, zones), so that Vigie reads its own events back whole.
Networks are not exported to MISP (use STIX or Vigie JSON for them).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject
from pymisp.exceptions import PyMISPError

from storage.exchange.errors import MalformedFile
from storage.exchange.model import TLP_LEVELS, ExchangeBundle, ExchangeIndicator, stable_uuid4

_DESCRIBE = {
    "phone": "Phone number (E.164)",
    "email": "Email address",
    "handle": "Messaging/social-media handle",
    "url": "URL",
    "alias": "Advertised name (alias)",
}
_META = re.compile(r"\[vigie ([^\]]*)\]\s*$")
_EXPORT = re.compile(r"^vigie-export (.*)$")


@cache
def taxonomy() -> dict[str, set[str]]:
    """The local taxonomy: predicate → its values."""
    path = resources.files("storage.exchange").joinpath("schema").joinpath(
        "misp-taxonomy-vigie.json"
    )
    doc = json.loads(path.read_text("utf-8"))
    return {v["predicate"]: {e["value"] for e in v["entry"]} for v in doc["values"]}


def tag(predicate: str, value: str) -> str:
    if value not in taxonomy().get(predicate, set()):
        raise ValueError(f"vigie:{predicate}={value!r} is not in the local taxonomy")
    return f'vigie:{predicate}="{value}"'


def _comment(i: ExchangeIndicator) -> str:
    if i.kind == "image":
        what = (f"Perceptual {i.platform} (64-bit, 16 hex digits) of an ad image — "
                "a similarity hash, not a cryptographic hash; compare by Hamming distance")
    elif i.pseudonymised:
        what = f"HMAC-SHA256 of a {_DESCRIBE[i.kind].lower()} under the zones' shared key"
    else:
        what = _DESCRIBE[i.kind]
    zones = ",".join(i.zones)
    meta = (f"platform={i.platform} pseudonymised={str(i.pseudonymised).lower()} "
            f"score={i.score} sightings={i.sightings} zones={zones}")
    return f"{what}. [vigie {meta}]"


def _attribute(event: MISPEvent, i: ExchangeIndicator) -> None:
    comment = _comment(i)
    added: Any
    if i.kind == "phone" and not i.pseudonymised:
        obj = MISPObject("phone-number", strict=True)
        obj.uuid = i.id
        added = obj.add_attribute("phone-number", value=i.value, comment=comment)
        event.add_object(obj)
    elif i.kind == "handle" and not i.pseudonymised:
        obj = MISPObject("user-account", strict=True)
        obj.uuid = i.id
        added = obj.add_attribute("username", value=i.value, comment=comment)
        obj.add_attribute("account-type", value=i.platform)
        event.add_object(obj)
    else:
        kind = i.kind if i.kind in ("email", "url") and not i.pseudonymised else "text"
        added = event.add_attribute(kind, i.value, comment=comment, to_ids=False)
    if not isinstance(added, MISPAttribute):
        raise ValueError(f"PyMISP did not add the {i.kind} attribute")
    added.uuid = i.id
    if i.first_seen is not None:
        added.first_seen = i.first_seen
    if i.last_seen is not None:
        added.last_seen = i.last_seen
    added.add_tag(tag("kind", i.kind))
    for flag in i.flags:
        added.add_tag(tag("flag", flag))


def dumps(bundle: ExchangeBundle) -> bytes:
    event = MISPEvent()
    event.uuid = stable_uuid4("misp", bundle.zone, bundle.exported_at.isoformat())
    event.info = f"Vigie export of police zone {bundle.zone} ({bundle.exported_at:%Y-%m-%d})"
    event.set_date(bundle.exported_at.date())
    event.distribution = 0  # this organisation only: sharing is the zones' decision
    event.analysis = 2
    event.add_tag(f"tlp:{bundle.tlp}")
    event.add_tag(tag("zone", bundle.zone))
    event.add_tag(tag("mode", "pseudonymised" if bundle.pseudonymised else "clear"))
    export = f"exported_at={bundle.exported_at.isoformat()}"
    if bundle.pseudonym_key_id:
        export += f" pseudonym_key_id={bundle.pseudonym_key_id}"
    event.add_attribute("comment", f"vigie-export {export}", to_ids=False, disable_correlation=True)
    for indicator in bundle.indicators:
        _attribute(event, indicator)
    text: str = event.to_json(indent=2)
    return (text + "\n").encode("utf-8")


def _fields(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


def _tags(attribute: MISPAttribute, predicate: str) -> list[str]:
    prefix = f'vigie:{predicate}="'
    return [t.name[len(prefix):-1] for t in attribute.tags if t.name.startswith(prefix)]


def _indicator(attribute: MISPAttribute, obj: MISPObject | None) -> ExchangeIndicator | None:
    kinds = _tags(attribute, "kind")
    match = _META.search(attribute.comment or "")
    meta = _fields(match.group(1)) if match else {}
    if kinds:
        kind = kinds[0]
    elif obj is not None and obj.name in ("phone-number", "user-account"):
        kind = "phone" if obj.name == "phone-number" else "handle"
    elif attribute.type in ("email", "email-src", "email-dst", "url"):
        kind = "email" if attribute.type.startswith("email") else "url"
    else:
        return None  # a foreign attribute Vigie has no kind for
    platform = meta.get("platform", "")
    if kind == "handle" and obj is not None and not platform:
        platform = next((str(a.value) for a in obj.attributes
                         if getattr(a, "object_relation", None) == "account-type"), "")
    pseudonymised = meta.get("pseudonymised") == "true"
    seen: dict[str, Any] = {k: getattr(attribute, k, None) for k in ("first_seen", "last_seen")}
    return ExchangeIndicator(
        kind=kind, value=str(attribute.value), platform=platform, pseudonymised=pseudonymised,
        score=float(meta.get("score", 0.0)), flags=tuple(_tags(attribute, "flag")),
        first_seen=seen["first_seen"], last_seen=seen["last_seen"],
        sightings=int(meta.get("sightings", 0)),
        zones=tuple(z for z in meta.get("zones", "").split(",") if z),
    )


def loads(data: bytes) -> ExchangeBundle:
    event = MISPEvent()
    try:
        event.load(data.decode("utf-8"))
        tags = [t.name for t in event.tags]
        zone = next((t[len('vigie:zone="'):-1] for t in tags if t.startswith("vigie:zone=")), "")
        tlp = next((t[4:] for t in tags if t.startswith("tlp:") and t[4:] in TLP_LEVELS), "amber")
        export: dict[str, str] = {}
        indicators: list[ExchangeIndicator] = []
        for attribute in event.attributes:
            found = _EXPORT.match(str(attribute.value)) if attribute.type == "comment" else None
            if found:
                export = _fields(found.group(1))
            elif (indicator := _indicator(attribute, None)) is not None:
                indicators.append(indicator)
        for obj in event.objects:
            for attribute in obj.attributes:
                relation = getattr(attribute, "object_relation", None)
                if relation in ("phone-number", "username") and (
                    indicator := _indicator(attribute, obj)
                ) is not None:
                    indicators.append(indicator)
        exported = export.get("exported_at")
        exported_at = datetime.fromisoformat(exported) if exported else datetime.combine(
            event.date, datetime.min.time()).astimezone()
    except (PyMISPError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise MalformedFile(f"MISP event refused: {exc}") from None
    return ExchangeBundle(
        zone=zone, exported_at=exported_at, tlp=tlp, indicators=tuple(indicators),
        pseudonymised='vigie:mode="pseudonymised"' in tags,
        pseudonym_key_id=export.get("pseudonym_key_id"),
    )
