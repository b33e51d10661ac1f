"""CSV for spreadsheets: one row per indicator, UTF-8 with a header row.

Columns (in order):
  kind            phone | email | handle | url | alias | image
  platform        handle: telegram, snapchat…; image: phash | dhash; otherwise empty
  value           the value, or its HMAC-SHA256 (hex) when pseudonymised
  pseudonymised   true | false
  score           highest risk score of the ads it was seen in, 0–1
  flags           minor / trafficking, separated by ";"
  first_seen      ISO-8601 UTC
  last_seen       ISO-8601 UTC
  sightings       number of ads it was seen in
  zones           police zones of those ads, separated by ";"
  networks        ids of the exporting zone's networks it belongs to, separated by ";"
  exporting_zone  the zone that made the export
  exported_at     ISO-8601 UTC
  tlp             TLP 2.0 marking of the file
  pseudonym_key_id  id of the shared HMAC key (not the key), when pseudonymised

A cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR — a phone
in E.164 starts with +) is written with a leading apostrophe, which the reader removes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime

from storage.exchange.errors import MalformedFile
from storage.exchange.model import ExchangeBundle, ExchangeIndicator, ExchangeNetwork

COLUMNS = (
    "kind", "platform", "value", "pseudonymised", "score", "flags", "first_seen", "last_seen",
    "sightings", "zones", "networks", "exporting_zone", "exported_at", "tlp", "pseudonym_key_id",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def _time(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def dumps(bundle: ExchangeBundle) -> bytes:
    networks: dict[str, list[str]] = defaultdict(list)
    for n in bundle.networks:
        for indicator_id in n.indicator_ids:
            networks[indicator_id].append(n.network_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for i in bundle.indicators:
        row = (
            i.kind, i.platform, i.value, str(i.pseudonymised).lower(), f"{i.score:g}",
            ";".join(i.flags), _time(i.first_seen), _time(i.last_seen), str(i.sightings),
            ";".join(i.zones), ";".join(networks.get(i.id, ())), bundle.zone,
            bundle.exported_at.isoformat(), bundle.tlp, bundle.pseudonym_key_id or "",
        )
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(";") if v)


def _parse_time(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def loads(data: bytes) -> ExchangeBundle:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise MalformedFile(f"not a readable CSV file: {exc}") from None
    if not rows or tuple(rows[0]) != COLUMNS:
        raise MalformedFile(f"CSV header must be: {','.join(COLUMNS)}")
    indicators: list[ExchangeIndicator] = []
    members: dict[str, list[str]] = defaultdict(list)
    meta: dict[str, str] = {}
    for line, raw in enumerate(rows[1:], 2):
        if len(raw) != len(COLUMNS):
            raise MalformedFile(f"CSV line {line}: {len(raw)} cells, expected {len(COLUMNS)}")
        row = dict(zip(COLUMNS, (_uncell(v) for v in raw), strict=True))
        try:
            indicator = ExchangeIndicator(
                kind=row["kind"], value=row["value"], platform=row["platform"],
                pseudonymised=row["pseudonymised"] == "true", score=float(row["score"]),
                flags=_split(row["flags"]), first_seen=_parse_time(row["first_seen"]),
                last_seen=_parse_time(row["last_seen"]), sightings=int(row["sightings"]),
                zones=_split(row["zones"]),
            )
            exported_at = datetime.fromisoformat(row["exported_at"])
        except ValueError as exc:
            raise MalformedFile(f"CSV line {line}: {exc}") from None
        indicators.append(indicator)
        for network_id in _split(row["networks"]):
            members[network_id].append(indicator.id)
        current = {k: row[k] for k in ("exporting_zone", "tlp", "pseudonym_key_id")}
        if meta and current != {k: meta[k] for k in current}:
            raise MalformedFile(f"CSV line {line}: exporting zone, TLP or key differ from line 2")
        meta = {**current, "exported_at": exported_at.isoformat()}
    if not meta:
        raise MalformedFile("CSV file holds no indicator")
    return ExchangeBundle(
        zone=meta["exporting_zone"],
        exported_at=datetime.fromisoformat(meta["exported_at"]),
        tlp=meta["tlp"],
        indicators=tuple(indicators),
        networks=tuple(ExchangeNetwork(n, tuple(ids)) for n, ids in members.items()),
        pseudonymised=any(i.pseudonymised for i in indicators),
        pseudonym_key_id=meta["pseudonym_key_id"] or None,
    )
