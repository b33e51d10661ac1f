"""CSV for spreadsheets: one row per indicator, UTF-8 with a byte-order mark (so Excel reads
accents right), a header row, `;` between cells by default (Excel's separator in Belgian
locales; `--delimiter ,` for the others).

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

Spreadsheet safety, with the apostrophe only where a spreadsheet would otherwise misread:

- formulas: a cell is read as a formula when it — or any part of it after a `;` or `,`, since
  the file may be opened with either separator — starts with =, +, -, @, tab or CR. Such a part
  gets a leading apostrophe (a phone in E.164 starts with +, so phones carry one);
- text that looks like a number or a date in a text column (a dHash `0123456789012345`, a
  numeric handle) gets a leading apostrophe, so leading zeros survive;
- a part that starts with an apostrophe gets one more, so the reader removes exactly the
  apostrophes the writer added (`loads` gives back the exact values).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import datetime

from storage.exchange.errors import MalformedFile
from storage.exchange.model import ExchangeBundle, ExchangeIndicator, ExchangeNetwork
from storage.exchange.source import BundleSource, ExportSource, Output

COLUMNS = (
    "kind", "platform", "value", "pseudonymised", "score", "flags", "first_seen", "last_seen",
    "sightings", "zones", "networks", "exporting_zone", "exported_at", "tlp", "pseudonym_key_id",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = (*_FORMULA, "'")
_SEPARATORS = re.compile(r"(?<=[;,])")
_NUMERIC = re.compile(r"^\s*[+-]?(\d[\d ]*([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?\s*$"
                      r"|^\s*\d{1,4}[/.:-]\d{1,2}([/.:-]\d{1,4})?\s*$")
TEXT_COLUMNS = frozenset({"platform", "value", "zones", "networks", "exporting_zone",
                          "pseudonym_key_id", "flags"})
BOM = "\ufeff"
_ROWS_PER_WRITE = 500


def _cell(value: str, text: bool = True) -> str:
    """`value` as a cell no spreadsheet runs or reinterprets, under `;` or `,`."""
    parts = [("'" + p if p.startswith(_GUARDED) else p) for p in _SEPARATORS.split(value)]
    out = "".join(parts)
    if text and _NUMERIC.match(value) and not out.startswith("'"):
        out = "'" + out
    return out


def _uncell(value: str) -> str:
    return "".join(p[1:] if p.startswith("'") else p for p in _SEPARATORS.split(value))


def _time(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def write(source: ExportSource, out: Output, *, delimiter: str = ";") -> None:
    """Write the CSV of `source` to `out`, a row at a time."""
    if delimiter not in (";", ","):
        raise ValueError(f"CSV delimiter must be ';' or ',', not {delimiter!r}")
    h = source.header
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    tail = (h.zone, h.exported_at.isoformat(), h.tlp, h.pseudonym_key_id or "")
    for n, (i, networks) in enumerate(source.indicator_networks(), 1):
        row = (
            i.kind, i.platform, i.value, str(i.pseudonymised).lower(), f"{i.score:g}",
            ";".join(i.flags), _time(i.first_seen), _time(i.last_seen), str(i.sightings),
            ";".join(i.zones), ";".join(networks), *tail,
        )
        writer.writerow([_cell(v, c in TEXT_COLUMNS) for c, v in zip(COLUMNS, row, strict=True)])
        if n % _ROWS_PER_WRITE == 0:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))


def dumps(bundle: ExchangeBundle, *, delimiter: str = ";") -> bytes:
    out = io.BytesIO()
    write(BundleSource(bundle), out, delimiter=delimiter)
    return out.getvalue()


def sniff(first_line: str) -> str | None:
    """The delimiter of a Vigie CSV header line (BOM removed), or None if it is not one."""
    for delimiter in (";", ","):
        if first_line.split(delimiter)[:3] == list(COLUMNS[:3]):
            return delimiter
    return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(";") if v)


def _parse_time(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def loads(data: bytes) -> ExchangeBundle:
    try:
        text = data.decode("utf-8").removeprefix(BOM)
        delimiter = sniff(text.split("\n", 1)[0].strip()) or ";"
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise MalformedFile(f"not a readable CSV file: {exc}") from None
    if not rows or tuple(rows[0]) != COLUMNS:
        raise MalformedFile(f"CSV header must be: {';'.join(COLUMNS)}")
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
