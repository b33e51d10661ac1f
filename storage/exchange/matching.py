"""Imported indicators meet local ads: which ads of this zone share a phone, a handle, an email or
a photo with an indicator another zone exported.

Clear values match exactly; pseudonymised ones match when the local value's HMAC under the
shared key equals them (only for files made under the same key, by key id); image hashes match
within a small Hamming distance, pHash with pHash and dHash with dHash. Linking and watchlists
call `matches()` and turn each `Match` into an edge or an alert.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pipeline.photomatch import MatchRule, Photo, PhotoIndex
from pipeline.types import AdKey
from storage.exchange.collect import ad_values
from storage.exchange.pseudonym import digest, key_id
from storage.exchange.tables import ImportedFile, ImportedIndicator, ImportedRecord, imported_record
from storage.repository import Store

log = logging.getLogger(__name__)

MATCHED_KINDS = frozenset({"phone", "email", "handle", "image"})
HASH_HEX_DIGITS = 16  # a 64-bit pHash or dHash
DEFAULT_MAX_DISTANCE = 6
"""Bits two 64-bit image hashes may differ by and still match (re-encoded/resized copies)."""


@dataclass(frozen=True, slots=True)
class Match:
    """A local ad sharing a value with an indicator imported from another zone."""

    ad: AdKey
    ad_zone: str | None
    kind: str
    platform: str
    local_value: str  # the ad's own value, in clear
    distance: int  # Hamming distance for images, 0 otherwise
    indicator: ImportedRecord

    @property
    def source_zone(self) -> str:
        return self.indicator.source_zone


def imported_indicators(engine: Engine, *, source_zone: str | None = None) -> list[ImportedRecord]:
    """Every imported indicator with its provenance, oldest import first."""
    query = select(ImportedIndicator, ImportedFile).join(
        ImportedFile, col(ImportedFile.id) == col(ImportedIndicator.file_pk)
    )
    if source_zone is not None:
        query = query.where(col(ImportedIndicator.source_zone) == source_zone)
    query = query.order_by(col(ImportedIndicator.id))
    with Session(engine) as session:
        return [imported_record(row, file) for row, file in session.exec(query).all()]


def _hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


class _Photos:
    """The imported image hashes: 64-bit pHashes and dHashes in one `pipeline.photomatch`
    index (the decision linking and watchlists take: each kind only with its own, exact within
    the distance, sub-linear); a hash of another length (another algorithm) compared one by one
    with local hashes of the same platform and length."""

    def __init__(self, records: list[ImportedRecord], max_distance: int) -> None:
        self.max_distance = max_distance
        self.index: PhotoIndex[int] = PhotoIndex(
            MatchRule(phash=max_distance, dhash=max_distance, dct=None)
        )
        self.records: list[ImportedRecord] = []
        self.scanned: dict[str, list[ImportedRecord]] = defaultdict(list)
        items: list[tuple[int, Photo]] = []
        for r in records:
            photo = _photo(r.platform, r.value)
            if photo is None:
                self.scanned[r.platform].append(r)
            else:
                items.append((len(self.records), photo))
                self.records.append(r)
        self.index.extend(items)

    def near(self, platform: str, value: str) -> list[tuple[ImportedRecord, int]]:
        hits: list[tuple[ImportedRecord, int]] = []
        photo = _photo(platform, value)
        if photo is not None:
            hits += [(self.records[m.key], m.distance) for m in self.index.match(photo)]
        hits += [(r, d) for r in self.scanned.get(platform, ())
                 if len(r.value) == len(value)
                 and (d := _hamming(r.value, value)) <= self.max_distance]
        return hits


def _photo(platform: str, value: str) -> Photo | None:
    """A 64-bit pHash or dHash as a photo of that one hash; None for anything else."""
    if platform not in ("phash", "dhash") or len(value) != HASH_HEX_DIGITS:
        return None
    try:
        return Photo.of(**{platform: value.lower()})
    except ValueError:
        return None


def matches(
    store: Store,
    *,
    own_zone: str | None = None,
    pseudonym_key: bytes | None = None,
    max_distance: int = DEFAULT_MAX_DISTANCE,
) -> list[Match]:
    """Local ads matching an imported indicator of another zone than `own_zone`."""
    records = [
        r for r in imported_indicators(store.engine)
        if r.kind in MATCHED_KINDS and r.source_zone != own_zone
    ]
    if not records:
        return []  # nothing imported: no need to read every ad
    current = key_id(pseudonym_key) if pseudonym_key is not None else None
    exact: dict[tuple[str, str, str], list[ImportedRecord]] = defaultdict(list)
    hashed: dict[tuple[str, str, str], list[ImportedRecord]] = defaultdict(list)
    images: list[ImportedRecord] = []
    skipped = 0
    for r in records:
        if r.kind == "image":
            images.append(r)
        elif not r.pseudonymised:
            exact[(r.kind, r.platform, r.value)].append(r)
        elif current is not None and r.pseudonym_key_id == current:
            hashed[(r.kind, r.platform, r.value)].append(r)
        else:
            skipped += 1
    if skipped:
        log.warning("%d pseudonymised indicators made under another key cannot be matched", skipped)
    photos = _Photos(images, max_distance)
    found: dict[tuple[AdKey, str, str, str, str], Match] = {}
    for raw, analysis in store.analyses():
        key = (raw.site, raw.ad_id)
        for kind, platform, value in dict.fromkeys(ad_values(raw, analysis)):
            if kind not in MATCHED_KINDS:
                continue
            hits: list[tuple[ImportedRecord, int]] = []
            if kind == "image":
                hits = photos.near(platform, value)
            else:
                hits = [(r, 0) for r in exact.get((kind, platform, value), ())]
                if pseudonym_key is not None and hashed:
                    mac = digest(pseudonym_key, kind, platform, value)
                    hits += [(r, 0) for r in hashed.get((kind, platform, mac), ())]
            for record, distance in hits:
                match_key = (key, kind, platform, record.value, record.file_sha256)
                if match_key not in found or found[match_key].distance > distance:
                    found[match_key] = Match(key, analysis.zone, kind, platform, value, distance,
                                             record)
    return sorted(found.values(), key=lambda m: (m.ad, m.kind, m.distance, m.indicator.value))
