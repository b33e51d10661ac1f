"""Gathering what a zone exports: the indicators of its stored ads, filtered, and its networks,
read a page at a time (`feed`) and merged on disk (`spool`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.types import Analysis, RawAd
from storage.exchange import feed
from storage.exchange.feed import HANDLE_PLATFORMS, Selection
from storage.exchange.model import ExchangeBundle, ExportHeader
from storage.exchange.progress import Progress, Silent
from storage.exchange.pseudonym import key_id
from storage.exchange.source import ExportSource
from storage.exchange.spool import Spool
from storage.repository import Store


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """Which ads' indicators leave the zone (every filter given must hold)."""

    since: datetime | None = None
    min_score: float | None = None
    flags: tuple[str, ...] = ()
    network_id: str | None = None
    ad_zones: tuple[str, ...] = ()
    """Only ads located in one of these police zones (all ads when empty)."""

    def describe(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.since is not None:
            out["since"] = self.since.isoformat()
        if self.min_score is not None:
            out["min_score"] = f"{self.min_score:g}"
        if self.flags:
            out["flag"] = ",".join(self.flags)
        if self.network_id is not None:
            out["network"] = self.network_id
        if self.ad_zones:
            out["ad_zones"] = ",".join(self.ad_zones)
        return out


def ad_values(raw: RawAd, analysis: Analysis) -> Iterable[tuple[str, str, str]]:
    """(kind, platform, value) of every shareable value of one ad."""
    for phone in analysis.phones:
        yield "phone", "", phone.e164
    for contact in analysis.contacts:
        if contact.kind in ("email", "url"):
            yield contact.kind, "", contact.value
        elif contact.kind in HANDLE_PLATFORMS:
            yield "handle", contact.kind, contact.value.lstrip("@")
    for alias in analysis.aliases:
        yield "alias", "", alias.name
    for image in (*raw.images, *analysis.images):
        for algorithm, value in (("phash", image.phash), ("dhash", image.dhash)):
            if value:
                yield "image", algorithm, value.lower()


def selection(filters: ExportFilters) -> Selection:
    return Selection(since=filters.since, min_score=filters.min_score, flags=filters.flags,
                     network_id=filters.network_id, ad_zones=filters.ad_zones)


def spool(
    store: Store,
    *,
    zone: str,
    tlp: str,
    filters: ExportFilters,
    pseudonym_key: bytes | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    temp_dir: Path | None = None,
) -> Spool:
    """The export's indicators and networks, gathered a page of ads at a time into a temporary
    file (the caller closes the spool). With `pseudonym_key`, phones, emails, handles, URLs and
    aliases are replaced by their HMAC."""
    progress = progress or Silent()
    engine = store.engine
    chosen = selection(filters)
    if filters.network_id is not None:
        feed.check_network(engine, filters.network_id)
    header = ExportHeader(
        zone=zone, exported_at=(now or datetime.now(UTC)).replace(microsecond=0), tlp=tlp,
        pseudonymised=pseudonym_key is not None,
        pseudonym_key_id=key_id(pseudonym_key) if pseudonym_key is not None else None,
        filters=filters.describe(),
    )
    out = Spool(header, directory=temp_dir)
    try:
        progress.start("Reading ads", feed.count_ads(engine, chosen))
        for page in feed.ads(engine, chosen):
            progress.advance(out.add_ads(page))
        out.add_networks(feed.networks(engine, filters.network_id),
                         feed.members(engine, filters.network_id))
        progress.start("Merging values", None)
        out.merge(pseudonym_key, progress.advance)
    except BaseException:
        out.close()
        raise
    return out


def collect(
    store: Store,
    *,
    zone: str,
    tlp: str,
    filters: ExportFilters,
    pseudonym_key: bytes | None = None,
    now: datetime | None = None,
) -> ExchangeBundle:
    """The bundle a zone exports, in memory: indicators of the selected ads and the networks
    joining them (`spool` gives the same without holding them)."""
    with spool(store, zone=zone, tlp=tlp, filters=filters, pseudonym_key=pseudonym_key,
               now=now) as found:
        return to_bundle(found)


def to_bundle(source: ExportSource) -> ExchangeBundle:
    h = source.header
    return ExchangeBundle(
        zone=h.zone, exported_at=h.exported_at, tlp=h.tlp,
        indicators=tuple(source.indicators()),
        networks=tuple(n for n, _ in source.networks()),
        pseudonymised=h.pseudonymised, pseudonym_key_id=h.pseudonym_key_id,
        filters=dict(h.filters),
    )
