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
from typing import Any, BinaryIO

from pipeline.analyze import analyze, prepare
from pipeline.types import Analysis, RawAd

REQUIRED = ("id", "title", "text")
OPTIONAL = ("location_text", "lang", "url", "site")
NETWORK_SIZE = "network_size"

# Bounds that keep one hostile line from taking the whole batch down. A line longer than
# MAX_LINE_BYTES is skipped without being held in memory; a text field longer than
# MAX_FIELD_CHARS is cut before analysis (real ads are a few thousand characters; the analysis
# of a multi-megabyte text would otherwise take gigabytes).
MAX_LINE_BYTES = 1 << 20
MAX_FIELD_CHARS = 100_000


class BadLine(ValueError):
    """An input line that does not follow the contract; the message says why."""


@dataclass(frozen=True, slots=True)
class LineError:
    line_no: int
    message: str


def parse_line(line: str) -> RawAd:
    return parse_input(line)[0]


def _has_lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_input(line: str | bytes) -> tuple[RawAd, int]:
    """One input line as a RawAd and its network size (0 when not given)."""
    if isinstance(line, bytes):
        if len(line) > MAX_LINE_BYTES:
            raise BadLine(f"line too long: {len(line):,} bytes (at most {MAX_LINE_BYTES:,})")
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadLine(f"not UTF-8: byte {exc.start + 1} cannot be decoded") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc.msg} (column {exc.colno})") from exc
    except RecursionError:
        raise BadLine("not JSON this program reads: nested too deeply") from None
    except ValueError:  # an integer over Python's 4,300-digit conversion limit
        raise BadLine("not JSON this program reads: a number too long to read") from None
    if not isinstance(obj, dict):
        raise BadLine("expected a JSON object")
    for key in REQUIRED:
        if not isinstance(obj.get(key), str):
            raise BadLine(f"field {key!r}: expected a string")
    for key in OPTIONAL:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise BadLine(f"field {key!r}: expected a string or null")
    for key in (*REQUIRED, *OPTIONAL):
        value = obj.get(key)
        if isinstance(value, str) and _has_lone_surrogate(value):
            raise BadLine(f"field {key!r}: holds a lone surrogate (not valid Unicode text)")
    size = obj.get(NETWORK_SIZE)
    if size is not None and (type(size) is not int or size < 0):
        raise BadLine(f"field {NETWORK_SIZE!r}: expected an integer >= 0 or null")
    raw = RawAd(
        site=obj.get("site") or "batch",
        ad_id=obj["id"],
        url=obj.get("url") or "",
        title=obj["title"][:MAX_FIELD_CHARS],
        text=obj["text"][:MAX_FIELD_CHARS],
        location_text=(obj.get("location_text") or "")[:MAX_FIELD_CHARS],
        lang=obj.get("lang"),
    )
    return raw, size or 0


def to_contract(ad_id: str, a: Analysis) -> dict[str, Any]:
    return {
        "id": ad_id,
        "phones": [p.e164 for p in a.phones],
        # each phone's country, and the other numbers a national-format one may be (issue 14)
        "phone_regions": [
            {"e164": p.e164, "region": p.region, "candidates": list(p.candidates)} for p in a.phones
        ],
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


def read_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a binary stream, each read at most MAX_LINE_BYTES + 1 bytes at a time: the
    rest of an over-long line is read and dropped in chunks, never held whole, and the line is
    yielded as its first MAX_LINE_BYTES + 1 bytes (which `parse_input` refuses as too long)."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # drop the rest of this line
                rest = stream.readline(1 << 16)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def run(lines: Iterable[str | bytes], *, region: str) -> Iterator[dict[str, Any] | LineError]:
    """Analyse each non-blank line; a malformed line yields a LineError and the rest goes on."""
    prepare(region)
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw, size = parse_input(line)
        except BadLine as exc:
            yield LineError(no, str(exc))
            continue
        yield to_contract(raw.ad_id, analyze(raw, region=region, network_size=size))
