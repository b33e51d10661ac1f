"""The four exchange formats by name, and recognising a file's format from its bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storage.exchange import csvfmt, misp, stix, stix_read, vigie_json
from storage.exchange.errors import MalformedFile
from storage.exchange.jsonparse import parse_json
from storage.exchange.model import ExchangeBundle
from storage.exchange.source import ExportSource, Output


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str
    dumps: Callable[[ExchangeBundle], bytes]
    loads: Callable[[bytes], ExchangeBundle]
    write: Callable[[ExportSource, Output], None]
    """Writes a source as it reads it (`dumps` is `write` into memory)."""
    passes: int = 1
    """How many times `write` walks the indicators (for a progress bar's total)."""


FORMATS: dict[str, Format] = {
    "vigie": Format("vigie", ".json", vigie_json.dumps, vigie_json.loads, vigie_json.write),
    "stix": Format("stix", ".stix.json", stix.dumps, stix_read.loads, stix.write, passes=2),
    "misp": Format("misp", ".misp.json", misp.dumps, misp.loads, misp.write, passes=2),
    "csv": Format("csv", ".csv", csvfmt.dumps, csvfmt.loads, csvfmt.write),
}


def detect(data: bytes) -> Format:
    """The format of an exchange file, from its content (never from its name)."""
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if head in (b"{", b"["):
        doc = parse_json(data)
        if isinstance(doc, dict):
            if doc.get("format") == vigie_json.FORMAT_NAME:
                return FORMATS["vigie"]
            if doc.get("type") == "bundle":
                return FORMATS["stix"]
            if "Event" in doc or "info" in doc:
                return FORMATS["misp"]
        raise MalformedFile("JSON that is neither Vigie JSON, a STIX bundle nor a MISP event")
    first = data.split(b"\n", 1)[0].strip().decode("utf-8", "replace").removeprefix(csvfmt.BOM)
    if csvfmt.sniff(first) is not None:
        return FORMATS["csv"]
    raise MalformedFile("not an exchange file (Vigie JSON, STIX 2.1, MISP or Vigie CSV)")


def read(data: bytes) -> tuple[Format, ExchangeBundle]:
    fmt = detect(data)
    try:
        return fmt, fmt.loads(data)
    except RecursionError:  # a library recursing over a hostile document
        raise MalformedFile(f"{fmt.name} file nested too deeply to read") from None
