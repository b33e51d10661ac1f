"""Read models: what storage hands out. Plain frozen dataclasses, never table rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipeline.types import AdKey, Analysis, RawAd
from storage.ads import scored_network_size
from storage.codec import analysis_from_dict, rawad_from_dict
from storage.tables import Ad, AdVersion


@dataclass(frozen=True, slots=True)
class StoredAd:
    """The current state of one stored ad: its latest RawAd, its Analysis and its history marks.

    `first_seen`/`last_seen` are UTC; `version` counts the distinct contents seen so far;
    `network_size` is the size of the network its analysis was scored with (0: before linking).
    """

    site: str
    ad_id: str
    version: int
    content_sha256: str
    first_seen: datetime
    last_seen: datetime
    zone: str | None
    commune: str | None
    minor_score: float
    trafficking_score: float
    flags: tuple[str, ...]
    model_version: str
    raw: RawAd
    analysis: Analysis
    network_size: int = 0

    @property
    def key(self) -> AdKey:
        return (self.site, self.ad_id)

    @property
    def max_score(self) -> float:
        return max(self.minor_score, self.trafficking_score)

    @property
    def url(self) -> str:
        return self.raw.url

    @property
    def title(self) -> str:
        return self.raw.title

    @property
    def text(self) -> str:
        return self.raw.text


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One distinct content of an ad, as first seen (`seen_at`, UTC)."""

    site: str
    ad_id: str
    version: int
    content_sha256: str
    page_sha256: str | None
    url: str
    fetched_at: datetime | None
    seen_at: datetime
    raw: RawAd
    analysis: Analysis


def stored_ad(row: Ad) -> StoredAd:
    analysis = analysis_from_dict(row.analysis_json)
    return StoredAd(
        site=row.site,
        ad_id=row.ad_id,
        version=row.version,
        content_sha256=row.content_sha256,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        zone=row.zone,
        commune=row.commune,
        minor_score=row.minor_score,
        trafficking_score=row.trafficking_score,
        flags=analysis.flags,
        model_version=row.model_version,
        raw=rawad_from_dict(row.raw_json),
        analysis=analysis,
        network_size=scored_network_size(row.analysis_json),
    )


def stored_version(site: str, ad_id: str, row: AdVersion) -> StoredVersion:
    return StoredVersion(
        site=site,
        ad_id=ad_id,
        version=row.version,
        content_sha256=row.content_sha256,
        page_sha256=row.page_sha256,
        url=row.url,
        fetched_at=row.fetched_at,
        seen_at=row.seen_at,
        raw=rawad_from_dict(row.raw_json),
        analysis=analysis_from_dict(row.analysis_json),
    )
