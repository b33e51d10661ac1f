"""The result types that cross Vigie's layers: what a crawler yields and what analysis returns.

They live in `pipeline` (not in `crawlers`) so that the processing library and storage can name
them without importing Scrapy; `crawlers.items` re-exports `RawAd`. All are frozen dataclasses
of plain values, so they serialise with `dataclasses.asdict` and compare by value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: where a value was read, as character offsets into one field of the raw ad.

    `field` is "title", "text", "location" or "contact"; `start`/`end` index the *original* (not
    normalised) field text, and `quote` is exactly `original[start:end]`.
    """

    field: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image seen in an ad: its source URL and 64-bit perceptual hashes as 16 hex digits.

    The image bytes themselves are never kept (DESIGN.md, content rules).
    """

    url: str
    phash: str | None = None
    dhash: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RawAd:
    """One ad as a spider found it: the only item a spider yields."""

    site: str
    ad_id: str
    url: str
    title: str
    text: str
    location_text: str = ""
    lang: str | None = None
    contact_text: str = ""
    posted_at: datetime | None = None
    fetched_at: datetime | None = None
    page_sha256: str | None = None
    images: tuple[ImageRef, ...] = ()


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    e164: str
    region: str
    obfuscated: bool
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str  # email, whatsapp, telegram, snapchat, instagram, onlyfans, url, …
    value: str  # normalised
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Age:
    value: int
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """Where an ad says it is. `zone` is a Brussels police zone "5339"…"5344" or None.

    `commune` is the Brussels commune's canonical (French) name, or the city outside Brussels;
    `postcode` when one was read. `in_brussels` is False for places outside the region.
    """

    commune: str | None
    zone: str | None
    postcode: str | None
    in_brussels: bool
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    category: str
    description: str
    spans: tuple[Span, ...] = ()
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything Vigie reads out of one RawAd."""

    site: str
    ad_id: str
    phones: tuple[PhoneMatch, ...] = ()
    contacts: tuple[Contact, ...] = ()
    aliases: tuple[Alias, ...] = ()
    ages: tuple[Age, ...] = ()
    place: Place | None = None
    images: tuple[ImageRef, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    minor_score: float = 0.0
    trafficking_score: float = 0.0
    flags: tuple[str, ...] = ()
    model_version: str = ""

    @property
    def zone(self) -> str | None:
        return self.place.zone if self.place else None

    @property
    def commune(self) -> str | None:
        return self.place.commune if self.place else None


AdKey = tuple[str, str]
"""An ad's identity across Vigie: (site, ad_id)."""


@dataclass(frozen=True, slots=True)
class Edge:
    """Two ads joined by something they share. `kind`: phone, contact, image, text, alias_zone."""

    a: AdKey
    b: AdKey
    kind: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Network:
    """A connected group of ads; `movement` is the sequence of zones over time (repeats merged)."""

    network_id: str
    members: tuple[AdKey, ...]
    edges: tuple[Edge, ...]
    phones: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    movement: tuple[str, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    risk: float = 0.0
