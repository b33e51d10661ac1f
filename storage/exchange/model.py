"""What zones exchange: indicators (a phone, a photo hash, a handle…) and the networks they form.

Every format (Vigie JSON, STIX 2.1, MISP, CSV) writes and reads these same records, so an
export → import round trip can be compared value by value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("phone", "email", "handle", "url", "alias", "image")
"""Indicator kinds. `handle` carries its `platform` (telegram, snapchat…), `image` its hash
algorithm (`phash` or `dhash`) in `platform`."""
PSEUDONYMISABLE = frozenset({"phone", "email", "handle", "url", "alias"})
"""Kinds replaced by an HMAC in pseudonymised mode (a perceptual image hash reveals no one)."""
TLP_LEVELS = ("clear", "green", "amber", "amber+strict", "red")
ZONES = tuple(str(z) for z in range(5339, 5345))
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ExchangeIndicator:
    """One shared value and what the exporting zone knows about it.

    `value` is the normalised value (E.164 phone, lower-case email, handle without "@", 16 hex
    digits for an image hash) or, when `pseudonymised`, its HMAC-SHA256 in hex. `score` is the
    highest risk score (0–1) of the ads it was seen in; `flags` their flags.
    """

    kind: str
    value: str
    platform: str = ""
    pseudonymised: bool = False
    score: float = 0.0
    flags: tuple[str, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    sightings: int = 0
    zones: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.platform, self.value)

    @property
    def id(self) -> str:
        """A stable id (UUIDv4 layout) derived from the kind, platform and value."""
        return stable_uuid4(*self.key)


@dataclass(frozen=True, slots=True)
class ExchangeNetwork:
    """A network of the exporting zone, by the ids of its exported indicators."""

    network_id: str
    indicator_ids: tuple[str, ...]
    zones: tuple[str, ...] = ()
    risk: float = 0.0


@dataclass(frozen=True, slots=True)
class ExchangeBundle:
    """One export: who made it, under which marking, and what it holds."""

    zone: str
    exported_at: datetime
    tlp: str
    indicators: tuple[ExchangeIndicator, ...]
    networks: tuple[ExchangeNetwork, ...] = ()
    pseudonymised: bool = False
    pseudonym_key_id: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    """What a file held that Vigie does not understand (foreign files), one line per kind."""

    def by_key(self) -> dict[tuple[str, str, str], ExchangeIndicator]:
        return {i.key: i for i in self.indicators}

    @property
    def header(self) -> ExportHeader:
        return ExportHeader(self.zone, self.exported_at, self.tlp, self.pseudonymised,
                            self.pseudonym_key_id, dict(self.filters))


@dataclass(frozen=True, slots=True)
class ExportHeader:
    """What an export says about itself, before its indicators and networks."""

    zone: str
    exported_at: datetime
    tlp: str
    pseudonymised: bool = False
    pseudonym_key_id: str | None = None
    filters: dict[str, str] = field(default_factory=dict)


def stable_uuid4(*parts: str) -> str:
    """A deterministic UUID in version-4 layout (validators expect v4 ids for STIX SDOs)."""
    raw = bytearray(hashlib.sha256("\x1f".join(parts).encode()).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4 (what uuid.UUID(bytes=…, version=4) sets)
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = raw.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"
