"""MISP events (PyMISP, offline): one event per export.

Every export is a new event with a fresh random UUID; the UUIDs of its attributes and objects
are derived from the event's (and differ between an object and its attribute), so no UUID is
ever shared by two events — MISP refuses an attribute whose UUID already exists. The creator
organisation (`Orgc`) is the exporting zone (a stable UUID per zone). Each network is an
`annotation` object ("Vigie network N …") with an `annotates` reference to each member. MISP
has neither an attribute type nor an object template for perceptual image hashes (pymisp 2.5's
describeTypes and misp-objects have none): they stay `text` attributes tagged `vigie:kind="image"`.

Phones in clear are `phone-number` objects and handles `user-account` objects (strict
templates); emails and URLs are attributes of their MISP types; image hashes, aliases and
pseudonymised values are `text` attributes whose comment says exactly what they are. Tags:
TLP 2.0 on the event, the local `vigie` taxonomy (schema/misp-taxonomy-vigie.json) for kinds,
flags, the zone and the mode. Each comment ends with `[vigie …]`, the fields MISP has no place
for (platform, score, sightings, zones), so that Vigie reads its own events back whole.

Reading: Vigie's own events whole; ordinary MISP events (another MISP's JSON export) for what
Vigie understands — phone-number, email, url attributes, `phone-number`/`user-account` objects,
TLP tags — and a report of what was skipped.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject, MISPOrganisation
from pymisp.exceptions import PyMISPError

from storage.exchange.errors import MalformedFile
from storage.exchange.model import (
    TLP_LEVELS,
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
    ExportHeader,
    stable_uuid4,
)
from storage.exchange.source import BundleSource, ExportSource, Output
from storage.exchange.stix_read import phone_e164

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


def _attribute(event: MISPEvent, i: ExchangeIndicator) -> tuple[str, MISPObject | None]:
    """Add the indicator; return the UUID others refer to it by, and its object if any."""
    comment = _comment(i)
    added: Any
    obj: MISPObject | None = None
    if i.kind == "phone" and not i.pseudonymised:
        obj = MISPObject("phone-number", strict=True)
        added = obj.add_attribute("phone-number", value=i.value, comment=comment)
    elif i.kind == "handle" and not i.pseudonymised:
        obj = MISPObject("user-account", strict=True)
        added = obj.add_attribute("username", value=i.value, comment=comment)
        platform = obj.add_attribute("account-type", value=i.platform)
        if isinstance(platform, MISPAttribute):
            platform.uuid = stable_uuid4("misp-platform", event.uuid, i.id)
    else:
        kind = i.kind if i.kind in ("email", "url") and not i.pseudonymised else "text"
        added = event.add_attribute(kind, i.value, comment=comment, to_ids=False)
    if not isinstance(added, MISPAttribute):
        raise ValueError(f"PyMISP did not add the {i.kind} attribute")
    added.uuid = stable_uuid4("misp-attribute", event.uuid, i.id)
    if obj is not None:
        obj.uuid = stable_uuid4("misp-object", event.uuid, i.id)
        event.add_object(obj)
    if i.first_seen is not None:
        added.first_seen = i.first_seen
    if i.last_seen is not None:
        added.last_seen = i.last_seen
    added.add_tag(tag("kind", i.kind))
    for flag in i.flags:
        added.add_tag(tag("flag", flag))
    return (obj.uuid if obj is not None else added.uuid), obj


_NETWORK = re.compile(r"^Vigie network (\S+)")


def _member_uuid(event_uuid: str, i: ExchangeIndicator) -> str:
    """The UUID `_attribute` gives the object (phones, handles in clear) or attribute of `i`."""
    as_object = i.kind in ("phone", "handle") and not i.pseudonymised
    return stable_uuid4("misp-object" if as_object else "misp-attribute", event_uuid, i.id)


def _network_note(n: ExchangeNetwork, found: list[str], event_uuid: str) -> MISPObject:
    """A network: an `annotation` object that `annotates` every member."""
    note = MISPObject("annotation", strict=True)
    note.uuid = stable_uuid4("misp-network", event_uuid, n.network_id)
    text = note.add_attribute(
        "text", value=f"Vigie network {n.network_id} (zones {', '.join(n.zones) or '?'}) "
                      f"[vigie zones={','.join(n.zones)} risk={n.risk}]")
    if isinstance(text, MISPAttribute):
        text.uuid = stable_uuid4("misp-network-text", event_uuid, n.network_id)
    kind = note.add_attribute("type", value="Annotation")
    if isinstance(kind, MISPAttribute):
        kind.uuid = stable_uuid4("misp-network-type", event_uuid, n.network_id)
    for member in found:
        note.add_reference(member, "annotates", comment=f"Vigie network {n.network_id}")
    return note


def _note(event_uuid: str, n: ExchangeNetwork, members: tuple[ExchangeIndicator, ...]) -> bytes:
    scratch = MISPEvent()
    scratch.add_object(_network_note(n, [_member_uuid(event_uuid, m) for m in members],
                                     event_uuid))
    return _only(scratch, "Object")


def _head(h: ExportHeader) -> MISPEvent:
    """The event without its indicators: a fresh UUID, the zone as `Orgc`, tags, the header."""
    event = MISPEvent()
    event.uuid = str(uuid.uuid4())  # a new event each export (see the module's docstring)
    orgc = MISPOrganisation()
    orgc.name = f"Brussels police zone {h.zone}"
    orgc.uuid = stable_uuid4("vigie-zone", h.zone)
    event.orgc = orgc
    event.info = f"Vigie export of police zone {h.zone} ({h.exported_at:%Y-%m-%d})"
    event.set_date(h.exported_at.date())
    event.distribution = 0  # this organisation only: sharing is the zones' decision
    event.analysis = 2
    event.add_tag(f"tlp:{h.tlp}")
    event.add_tag(tag("zone", h.zone))
    event.add_tag(tag("mode", "pseudonymised" if h.pseudonymised else "clear"))
    export = f"exported_at={h.exported_at.isoformat()}"
    if h.pseudonym_key_id:
        export += f" pseudonym_key_id={h.pseudonym_key_id}"
    header = event.add_attribute("comment", f"vigie-export {export}", to_ids=False,
                                 disable_correlation=True)
    if isinstance(header, MISPAttribute):
        header.uuid = stable_uuid4("misp-header", event.uuid)
    return event


def _items(source: ExportSource, event_uuid: str, objects: bool) -> Iterator[bytes]:
    """The JSON of each indicator's attribute (`objects` False) or object (True)."""
    for i in source.indicators():
        scratch = MISPEvent()  # one indicator at a time: the event is never held whole
        scratch.uuid = event_uuid
        _, obj = _attribute(scratch, i)
        if (obj is not None) == objects:
            yield _only(scratch, "Object" if objects else "Attribute")


def _only(scratch: MISPEvent, what: str) -> bytes:
    """The one attribute or object of `scratch` as the event's JSON writes it (an object alone
    would leave out its references)."""
    item = json.loads(scratch.to_json())[what][0]
    return json.dumps(item, ensure_ascii=False).encode("utf-8")


def _array(out: Output, items: Iterable[bytes], first: bool) -> bool:
    for item in items:
        out.write(item if first else b", " + item)
        first = False
    return first


def write(source: ExportSource, out: Output) -> None:
    """Write the MISP event of `source` to `out`, an attribute or object at a time."""
    event = _head(source.header)
    doc = json.loads(event.to_json())
    attributes = doc.pop("Attribute", [])
    doc.pop("Object", None)
    out.write(json.dumps(doc, ensure_ascii=False).removesuffix("}").encode("utf-8"))
    out.write(b', "Attribute": [')
    first = _array(out, (json.dumps(a, ensure_ascii=False).encode("utf-8") for a in attributes),
                   True)
    _array(out, _items(source, event.uuid, objects=False), first)
    out.write(b'], "Object": [')
    first = _array(out, _items(source, event.uuid, objects=True), True)
    _array(out, (_note(event.uuid, n, members) for n, members in source.networks() if members),
           first)
    out.write(b"]}\n")


def dumps(bundle: ExchangeBundle) -> bytes:
    out = io.BytesIO()
    write(BundleSource(bundle), out)
    return out.getvalue()


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
