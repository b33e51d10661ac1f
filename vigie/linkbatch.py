"""The batch contract of `vigie link`: `vigie analyze` output in, one `{"id", "network"}` per ad.

Input line: the fields of `vigie analyze`'s output that linking uses — "id" (required),
"phones" [e164], "contacts" [{"kind", "value"}], "aliases" [str], "zone", "commune",
"minor_score", "trafficking_score", "flags" — plus, when known, "site" (default "batch"),
"title" and "text" (for near-duplicate texts), "posted_at" (ISO 8601, for the movement) and
"image_hashes" [{"phash": 16 hex digits, "dhash": 16 hex digits}]. Missing fields are empty.
Output line: {"id", "network": str | null}, in input order; null when the ad links to nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from pipeline.hashindex import parse_hash
from pipeline.link import LinkConfig, Linker
from pipeline.types import Alias, Analysis, Contact, ImageRef, PhoneMatch, Place, RawAd
from vigie.batch import BadLine, LineError


def _strings(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadLine(f"field {key!r}: expected a list of strings")
    return value


def _optional(obj: dict[str, Any], key: str, kind: type) -> Any:
    value = obj.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise BadLine(f"field {key!r}: expected {kind.__name__} or null")
    return value


def _score(obj: dict[str, Any], key: str) -> float:
    value = obj.get(key)
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadLine(f"field {key!r}: expected a number or null")
    return float(value)


def _images(obj: dict[str, Any]) -> tuple[ImageRef, ...]:
    value = obj.get("image_hashes") or []
    if not isinstance(value, list):
        raise BadLine("field 'image_hashes': expected a list")
    refs = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise BadLine(f"image_hashes[{i}]: expected an object")
        for key in ("phash", "dhash"):
            h = item.get(key)
            if h is not None:
                try:
                    parse_hash(h)
                except (TypeError, ValueError) as exc:
                    raise BadLine(f"image_hashes[{i}].{key}: {exc}") from None
        refs.append(ImageRef(url=f"#{i}", phash=item.get("phash"), dhash=item.get("dhash")))
    return tuple(refs)


def parse_line(line: str) -> tuple[RawAd, Analysis]:
    """One input line as the RawAd and Analysis the linker reads."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise BadLine("expected a JSON object")
    if not isinstance(obj.get("id"), str):
        raise BadLine("field 'id': expected a string")
    site = _optional(obj, "site", str) or "batch"
    posted = _optional(obj, "posted_at", str)
    try:
        posted_at = datetime.fromisoformat(posted) if posted else None
    except ValueError:
        raise BadLine(f"field 'posted_at': not an ISO 8601 date: {posted!r}") from None
    contacts = obj.get("contacts") or []
    if not isinstance(contacts, list) or not all(
        isinstance(c, dict) and isinstance(c.get("kind"), str) and isinstance(c.get("value"), str)
        for c in contacts
    ):
        raise BadLine("field 'contacts': expected a list of {kind, value}")
    zone, commune = _optional(obj, "zone", str), _optional(obj, "commune", str)
    images = _images(obj)
    raw = RawAd(site=site, ad_id=obj["id"], url="", title=_optional(obj, "title", str) or "",
                text=_optional(obj, "text", str) or "", posted_at=posted_at, images=images)
    analysis = Analysis(
        site=site,
        ad_id=obj["id"],
        phones=tuple(PhoneMatch(p, "", False, ()) for p in _strings(obj, "phones")),
        contacts=tuple(Contact(c["kind"], c["value"], ()) for c in contacts),
        aliases=tuple(Alias(a, ()) for a in _strings(obj, "aliases")),
        place=Place(commune, zone, None, True, ()) if zone or commune else None,
        images=images,
        minor_score=_score(obj, "minor_score"),
        trafficking_score=_score(obj, "trafficking_score"),
        flags=tuple(_strings(obj, "flags")),
    )
    return raw, analysis


def run(lines: Iterable[str], config: LinkConfig | None = None
        ) -> Iterator[dict[str, Any] | LineError]:
    """Link every well-formed line; a malformed one yields a LineError (and links nothing).
    The network ids come out once every line has been read, in input order."""
    items: list[tuple[RawAd, Analysis]] = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(parse_line(line))
        except BadLine as exc:
            yield LineError(no, str(exc))
    linker = Linker(config)
    linker.add(items)
    networks = linker.network_ids()
    for raw, _ in items:
        yield {"id": raw.ad_id, "network": networks.get((raw.site, raw.ad_id))}
