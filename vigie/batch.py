"""The batch contract of `vigie analyze`: JSON Lines of ads in, one JSON line per ad out.

Input line: {"id", "title", "text", "location_text"?, "lang"?, "url"?, "site"?,
"network_size"?}; `network_size` (an integer ≥ 0: ads sharing a contact or photo with this one,
itself included, when the caller linked them) feeds the model's network feature.
Output line: {"id", "phones", "contacts", "aliases", "ages", "commune", "zone", "indicators",
"minor_score", "trafficking_score", "flags"}; each indicator {"code", "category", "evidence"}
plus its "description" and learned "weight" (additions only). Other tools depend on this shape:
keep it stable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.analyze import analyze
from pipeline.types import Analysis, RawAd

REQUIRED = ("id", "title", "text")
OPTIONAL = ("location_text", "lang", "url", "site")
NETWORK_SIZE = "network_size"


class BadLine(ValueError):
    """An input line that does not follow the contract; the message says why."""


@dataclass(frozen=True, slots=True)
class LineError:
    line_no: int
    message: str


def parse_line(line: str) -> RawAd:
    return parse_input(line)[0]


def parse_input(line: str) -> tuple[RawAd, int]:
    """One input line as a RawAd and its network size (0 when not given)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise BadLine("expected a JSON object")
    for key in REQUIRED:
        if not isinstance(obj.get(key), str):
            raise BadLine(f"field {key!r}: expected a string")
    for key in OPTIONAL:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise BadLine(f"field {key!r}: expected a string or null")
    size = obj.get(NETWORK_SIZE)
    if size is not None and (type(size) is not int or size < 0):
        raise BadLine(f"field {NETWORK_SIZE!r}: expected an integer >= 0 or null")
    raw = RawAd(
        site=obj.get("site") or "batch",
        ad_id=obj["id"],
        url=obj.get("url") or "",
        title=obj["title"],
        text=obj["text"],
        location_text=obj.get("location_text") or "",
        lang=obj.get("lang"),
    )
    return raw, size or 0


def to_contract(ad_id: str, a: Analysis) -> dict[str, Any]:
    return {
        "id": ad_id,
        "phones": [p.e164 for p in a.phones],
        "contacts": [{"kind": c.kind, "value": c.value} for c in a.contacts],
        "aliases": [al.name for al in a.aliases],
        "ages": [age.value for age in a.ages],
        "commune": a.commune,
        "zone": a.zone,
        "indicators": [
            {
                "code": i.code,
                "category": i.category,
                "evidence": [s.quote for s in i.spans],
                "description": i.description,
                "weight": i.weight,
            }
            for i in a.indicators
        ],
        "minor_score": a.minor_score,
        "trafficking_score": a.trafficking_score,
        "flags": list(a.flags),
    }


def run(lines: Iterable[str], *, region: str) -> Iterator[dict[str, Any] | LineError]:
    """Analyse each non-blank line; a malformed line yields a LineError and the rest goes on."""
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw, size = parse_input(line)
        except BadLine as exc:
            yield LineError(no, str(exc))
            continue
        yield to_contract(raw.ad_id, analyze(raw, region=region, network_size=size))
