"""`Store`: Vigie's persistence behind one object — open it on a URL, save ads, query them.

with Store.open("sqlite:///var/vigie.db") as store:
    outcome = store.save(raw, analysis)  # "new" | "changed" | "unchanged"
    flagged = store.list_ads(flag="minor", zone="5339")
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from pipeline.types import AdKey, Analysis, Network, RawAd
from storage import ads, linkindex, queries
from storage import networks as network_rows
from storage.ads import SaveOutcome as SaveOutcome
from storage.engine import create_schema, make_engine, read_engine, write_engine
from storage.errors import StorageError
from storage.hashes import check_image_hash, check_region_hashes
from storage.records import StoredAd, StoredVersion

log = logging.getLogger(__name__)

SAVE_ATTEMPTS = 3
RESCORE_BATCH = 500  # rescored analyses written per transaction


class Store:
    """The repository of ads and networks. Thread-safe: every call uses its own session."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = write_engine(engine)
        self._reader = read_engine(engine)  # pure reads: on SQLite they never wait for a writer

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to `url`, create any missing table, and return the store."""
        engine = make_engine(url)
        try:
            create_schema(engine)
        except OperationalError as exc:
            engine.dispose()
            raise StorageError(f"cannot open the database: {exc.orig}") from exc
        return cls(engine)

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- ads ------------------------------------------------------------------------------------

    def save(
        self,
        raw: RawAd,
        analysis: Analysis,
        *,
        seen_at: datetime | None = None,
        network_size: int = 1,
    ) -> SaveOutcome:
        """Store one ad and its analysis, idempotently on (site, ad_id).

        "new": first sight. "changed": the content differs from the current version, so a new
        version is added and the current row and its child tables follow it. "unchanged": only
        last_seen and the evidence of the fetch (URL, page hash, fetched_at) move — and the
        analysis, if it was recomputed (e.g. by a new model). A writer racing another on the
        same ad loses on the unique key and retries as an update. `network_size` is the size of
        the network the analysis was scored with (1: alone or not linked yet).
        """
        for image in (*raw.images, *analysis.images):  # never store a hash nothing can compare
            check_image_hash(image.phash, f"{raw.site}/{raw.ad_id} image {image.url[:80]}")
            check_image_hash(image.dhash, f"{raw.site}/{raw.ad_id} image {image.url[:80]}")
            check_region_hashes(image.dct, f"{raw.site}/{raw.ad_id} image {image.url[:80]}")
        seen = seen_at or datetime.now(UTC)
        context = {"site": raw.site, "ad_id": raw.ad_id, "url": raw.url}
        try:
            for attempt in range(1, SAVE_ATTEMPTS + 1):
                try:
                    with Session(self._writer) as session:
                        outcome = ads.upsert(
                            session, raw, analysis, seen, network_size=network_size
                        )
                        session.commit()
                except IntegrityError:
                    if attempt == SAVE_ATTEMPTS:
                        raise
                    log.info("concurrent save of the same ad; retrying", extra=context)
                    continue
                log.debug("ad saved: %s", outcome, extra=context)
                return outcome
        except (IntegrityError, OperationalError) as exc:
            raise StorageError(f"cannot save ad {raw.site}/{raw.ad_id}: {exc.orig}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def get_ad(self, *, site: str, ad_id: str) -> StoredAd | None:
        return queries.get_ad(self._reader, site=site, ad_id=ad_id)

    def list_ads(
        self,
        *,
        flag: str | None = None,
        zone: str | None = None,
        site: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[StoredAd]:
        """Current ads matching every filter given, highest score (minor or trafficking) first."""
        return queries.list_ads(
            self._reader, flag=flag, zone=zone, site=site, limit=limit, offset=offset
        )

    def count_ads(
        self, *, flag: str | None = None, zone: str | None = None, site: str | None = None
    ) -> int:
        return queries.count_ads(self._reader, flag=flag, zone=zone, site=site)

    def counts_by_site(self) -> dict[str, int]:
        return queries.counts_by_site(self._reader)

    def versions(self, *, site: str, ad_id: str) -> list[StoredVersion]:
        """Every distinct content of the ad, oldest first ([] for an unknown ad)."""
        return queries.versions(self._reader, site=site, ad_id=ad_id)

    def analyses(self) -> Iterator[tuple[RawAd, Analysis]]:
        """Every current ad and its analysis (the input of pipeline.link), streamed in batches."""
        return queries.analyses(self._reader)

    def ads_with_phone(self, *, e164: str) -> list[StoredAd]:
        return queries.ads_with_phone(self._reader, e164=e164)

    def networked_sizes(self) -> dict[AdKey, int]:
        """Current ads whose analysis was scored with a network of 2 or more ads, and that size
        (every other ad was scored as if alone)."""
        with Session(self._reader) as session:
            return ads.networked(session)

    def rescore(self, rescored: Iterable[tuple[str, Analysis, int]]) -> int:
        """Store analyses scored again after linking: (content_sha256 the analysis was read
        with, new analysis, network size it was scored with). No new version, last_seen stays;
        an ad whose content changed meanwhile is left alone. Returns the number written."""
        items = list(rescored)
        written = 0
        try:
            for start in range(0, len(items), RESCORE_BATCH):
                with Session(self._writer) as session:
                    for digest, analysis, size in items[start : start + RESCORE_BATCH]:
                        written += ads.rescore(
                            session, content_sha256=digest, analysis=analysis, network_size=size
                        )
                    session.commit()
        except (IntegrityError, OperationalError) as exc:
            raise StorageError(f"cannot store the rescored analyses: {exc.orig}") from exc
        log.info("analyses rescored after linking: %d of %d", written, len(items))
        return written

    # -- networks -------------------------------------------------------------------------------

    def replace_networks(self, networks: Sequence[Network]) -> None:
        """Replace every stored network by `networks`, in one transaction.

        Raises UnknownAd if a member is not stored, StorageError for duplicate ids or for an
        edge that leaves its network.
        """
        try:
            with Session(self._writer) as session:
                network_rows.replace_networks(session, networks)
                session.commit()
        except (IntegrityError, OperationalError) as exc:
            raise StorageError(f"cannot replace the networks: {exc.orig}") from exc
        log.info("networks replaced: %d", len(networks))

    def update_networks(self, *, removed: Sequence[str], upserted: Sequence[Network]) -> None:
        """Delete the networks `removed`, store `upserted` in place of any of the same id; the
        others stay. One transaction; the same errors as `replace_networks`."""
        try:
            with Session(self._writer) as session:
                network_rows.update_networks(session, removed=removed, upserted=upserted)
                session.commit()
        except (IntegrityError, OperationalError) as exc:
            raise StorageError(f"cannot update the networks: {exc.orig}") from exc
        log.info("networks updated: %d gone, %d new or changed", len(removed), len(upserted))

    def networks_of_ads(self, pks: Sequence[int]) -> set[str]:
        """The ids of the stored networks one of the ads (primary keys) is a member of."""
        return network_rows.networks_of_ads(self._reader, pks)

    def apply_link_step(
        self,
        *,
        removed: Sequence[str],
        upserted: Sequence[Network],
        relinked: Sequence[int],
        marks: dict[int, int],
        banded: Sequence[int],
        bands: Mapping[int, Sequence[int]],
        done: Sequence[str],
    ) -> None:
        """Store an incremental link (`vigie.incremental`) in one transaction: the networks
        (`update_networks`), the marks and bands of the ads it relinked, the queue items it
        took (`storage.linkindex.update_marks`)."""
        try:
            with Session(self._writer) as session:
                network_rows.update_networks(session, removed=removed, upserted=upserted)
                linkindex.update_marks(
                    session.connection(), relinked=relinked, marks=marks, banded=banded,
                    bands=bands, done=done,
                )
                session.commit()
        except (IntegrityError, OperationalError) as exc:
            raise StorageError(f"cannot store the incremental link: {exc.orig}") from exc
        log.info("incremental link stored: %d networks gone, %d new or changed",
                 len(removed), len(upserted))

    def network_ids(self) -> set[str]:
        return network_rows.network_ids(self._reader)

    def ad_stamps(self) -> dict[AdKey, queries.Stamp]:
        """Each current ad's stamp (`storage.queries.ad_stamps`)."""
        return queries.ad_stamps(self._reader)

    def list_networks(self, *, min_zones: int = 1, limit: int | None = None) -> list[Network]:
        """Stored networks spanning at least `min_zones` distinct zones, riskiest first (the
        first `limit` of them)."""
        return network_rows.list_networks(self._reader, min_zones=min_zones, limit=limit)

    def count_networks(self, *, min_zones: int = 1) -> int:
        return network_rows.count_networks(self._reader, min_zones=min_zones)

    def network_of(self, *, site: str, ad_id: str) -> str | None:
        return network_rows.network_of(self._reader, site=site, ad_id=ad_id)

    def memberships(self, *, site: str | None = None) -> dict[AdKey, tuple[int, str]]:
        """Each networked ad's (network size, network id), from the stored networks."""
        return network_rows.memberships(self._reader, site=site)
