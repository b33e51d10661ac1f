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

Written an attribute or object at a time (`write`), never holding the event. Reading is
`misp_read` (`loads` is re-exported here).
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject, MISPOrganisation

from storage.exchange.misp_read import loads as loads  # reading lives in misp_read
from storage.exchange.model import (
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
    ExportHeader,
    stable_uuid4,
)
from storage.exchange.source import BundleSource, ExportSource, Output

_DESCRIBE = {
    "phone": "Phone number (E.164)",
    "email": "Email address",
    "handle": "Messaging/social-media handle",
    "url": "URL",
    "alias": "Advertised name (alias)",
}


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

