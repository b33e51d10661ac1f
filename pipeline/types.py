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
    """An image seen in an ad: its source URL and 64-bit perceptual hashes as 16 hex digits;
    `dct`: the sign-DCT hashes by region (`pipeline.photohash`, written by
    `pipeline.photomatch.encode_dct`), for images hashed since they exist.

    The image bytes themselves are never kept (DESIGN.md, content rules).
    """

    url: str
    phash: str | None = None
    dhash: str | None = None
    error: str | None = None
    dct: str | None = None


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
    # Other E.164 readings of a national-format number that no cue and not the site's region
    # decide between (empty when the country is certain); `e164`/`region` is the first reading.
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


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
    """Two ads joined by something they share. `kind`: phone, contact, image, text, alias_zone;
    or imported-phone, imported-email, imported-handle, imported-image when the two ads share an
    indicator another zone exported (the evidence names that zone, its file and the indicator)."""

    a: AdKey
    b: AdKey
    kind: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ForeignLink:
    """A member ad sharing a value with an indicator another zone exported and this zone imported.

    `value` is the indicator exactly as the other zone sent it: its HMAC when `pseudonymised`
    (never a clear value the other zone did not send); `distance` is the Hamming distance of an
    image hash, 0 otherwise; `score` and `flags` are the other zone's assessment.
    """

    ad: AdKey
    source_zone: str
    file_name: str
    file_sha256: str
    kind: str
    platform: str
    value: str
    pseudonymised: bool = False
    distance: int = 0
    score: float = 0.0
    flags: tuple[str, ...] = ()

    @property
    def indicator(self) -> str:
        """E.g. `phone (HMAC) 3fa2…`, `handle/telegram lina_b`, `image/phash ffee…`."""
        what = f"{self.kind}/{self.platform}" if self.platform else self.kind
        return f"{what} (HMAC) {self.value}" if self.pseudonymised else f"{what} {self.value}"

    @property
    def evidence(self) -> str:
        """E.g. `zone 5344, file x.json: image/phash ffee… ±2 bits`."""
        shown = self.indicator + (f" ±{self.distance} bits" if self.kind == "image" else "")
        return f"zone {self.source_zone}, file {self.file_name}: {shown}"


@dataclass(frozen=True, slots=True)
class Network:
    """A connected group of ads; `movement` is the sequence of zones over time (repeats merged).

    `foreign` lists the members' matches with other zones' imported indicators: a network (even
    of one ad) with such a match is "also seen by" those zones (`foreign_zones`).
    """

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
    foreign: tuple[ForeignLink, ...] = ()

    @property
    def foreign_zones(self) -> tuple[str, ...]:
        """The other zones whose exported indicators a member matches."""
        return tuple(sorted({link.source_zone for link in self.foreign}))
