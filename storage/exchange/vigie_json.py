"""Vigie's own exchange format: versioned JSON that round-trips everything, with a JSON Schema
(`schema/vigie-exchange-1.schema.json`) that every file is checked against before it is read."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storage.exchange.errors import MalformedFile
from storage.exchange.jsonparse import parse_json
from storage.exchange.model import (
    FORMAT_VERSION,
    ExchangeBundle,
    ExchangeIndicator,
    ExchangeNetwork,
    ExportHeader,
)
from storage.exchange.source import BundleSource, ExportSource, Output

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

FORMAT_NAME = "vigie-exchange"
SCHEMA_FILE = "vigie-exchange-1.schema.json"


@cache
def schema() -> dict[str, Any]:
    path = resources.files("storage.exchange").joinpath("schema").joinpath(SCHEMA_FILE)
    text = path.read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def _validator() -> Draft202012Validator:
    # jsonschema's format checkers import slowly: only reading a file needs them
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _head(header: ExportHeader) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "zone": header.zone,
        "exported_at": header.exported_at.isoformat(),
        "tlp": header.tlp,
        "pseudonymised": header.pseudonymised,
        "pseudonym_key_id": header.pseudonym_key_id,
        "filters": dict(header.filters),
    }


def _indicator(i: ExchangeIndicator) -> dict[str, Any]:
    return {
        "id": i.id,
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


def _network(n: ExchangeNetwork) -> dict[str, Any]:
    return {"id": n.network_id, "indicators": list(n.indicator_ids), "zones": list(n.zones),
            "risk": n.risk}


def to_document(bundle: ExchangeBundle) -> dict[str, Any]:
    return {
        **_head(bundle.header),
        "indicators": [_indicator(i) for i in bundle.indicators],
        "networks": [_network(n) for n in bundle.networks],
    }


def _array(out: Output, name: str, items: Iterable[dict[str, Any]], last: bool) -> None:
    """`"name": [...]` as `json.dumps(indent=2)` writes it at depth 1, an item at a time."""
    out.write(f'  "{name}": ['.encode())
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        out.write(("\n    " if first else ",\n    ").encode() + text.encode("utf-8"))
        first = False
    out.write(("]" if first else "\n  ]").encode() + (b"\n" if last else b",\n"))


def write(source: ExportSource, out: Output) -> None:
    """Write the Vigie JSON of `source` to `out` (the same bytes as `dumps`), item by item."""
    head = json.dumps(_head(source.header), indent=2, ensure_ascii=False)
    out.write(head.removesuffix("\n}").encode("utf-8") + b",\n")
    _array(out, "indicators", (_indicator(i) for i in source.indicators()), last=False)
    _array(out, "networks", (_network(n) for n, _ in source.networks()), last=True)
    out.write(b"}\n")


def dumps(bundle: ExchangeBundle) -> bytes:
    out = io.BytesIO()
    write(BundleSource(bundle), out)
    return out.getvalue()


def from_document(doc: object) -> ExchangeBundle:
    """Validate against the schema, then check what a schema cannot (ids, references)."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "document"
        raise MalformedFile(f"Vigie JSON does not follow its schema at {where}: {first.message}")
    assert isinstance(doc, dict)  # noqa: S101 — the schema says "object"
    indicators = tuple(
        ExchangeIndicator(
            kind=d["kind"],
            value=d["value"],
            platform=d["platform"],
            pseudonymised=d["pseudonymised"],
            score=float(d["score"]),
            flags=tuple(d["flags"]),
            first_seen=_parse_time(d["first_seen"]),
            last_seen=_parse_time(d["last_seen"]),
            sightings=d["sightings"],
            zones=tuple(d["zones"]),
        )
        for d in doc["indicators"]
    )
    for d, indicator in zip(doc["indicators"], indicators, strict=True):
        if d["id"] != indicator.id:
            raise MalformedFile(
                f"Vigie JSON: indicator {d['id']} does not match its value (edited after export?)"
            )
    known = {i.id for i in indicators}
    networks = []
    for n in doc["networks"]:
        missing = [i for i in n["indicators"] if i not in known]
        if missing:
            raise MalformedFile(
                f"Vigie JSON: network {n['id']} names unknown indicator {missing[0]}"
            )
        networks.append(
            ExchangeNetwork(n["id"], tuple(n["indicators"]), tuple(n["zones"]), float(n["risk"]))
        )
    return ExchangeBundle(
        zone=doc["zone"],
        exported_at=datetime.fromisoformat(doc["exported_at"]),
        tlp=doc["tlp"],
        indicators=indicators,
        networks=tuple(networks),
        pseudonymised=doc["pseudonymised"],
        pseudonym_key_id=doc.get("pseudonym_key_id"),
        filters=dict(doc.get("filters", {})),
    )


def loads(data: bytes) -> ExchangeBundle:
    doc = parse_json(data)
    try:
        return from_document(doc)
    except ValueError as exc:  # a date-time RFC 3339 allows and Python does not (leap second)
        raise MalformedFile(f"Vigie JSON: {exc}") from None
