"""Search by image hash through an in-memory `pipeline.hashindex.HashIndex` of the stored image
hashes (pHash and dHash of every `ad_image` row), kept by the review app and refreshed: a query
reads only the rows that matched, never the whole image table.

Freshness: before each query the rows stored since the last look (ids above the highest one
indexed: one index probe) are added to the index; the whole index is rebuilt every
`rebuild_after` seconds, which also drops the hashes of images since replaced or deleted.
Candidates are checked against their current rows before they are returned, so a stale entry
never yields a wrong hit: the answers are those of a scan of the table, up to rows committed out
of id order since the last rebuild (they are found at the next one).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pipeline.hashindex import HashIndex, parse_hash
from storage.tables import AdImage

log = logging.getLogger(__name__)

REBUILD_AFTER = 600.0
BATCH = 50_000


def _hash(value: str | None) -> int | None:
    """A stored hash as an int, or None when it is not 16 hex digits (it then matches nothing)."""
    if not value or len(value) != 16:
        return None
    try:
        return parse_hash(value)
    except ValueError:
        log.warning("malformed image hash skipped: %r", value[:80])
        return None


class ImageHashes:
    """The stored image hashes of one database, searchable within a Hamming radius.
    Thread-safe: the app's routes run in a thread pool."""

    def __init__(
        self,
        engine: Engine,
        *,
        radius: int = 10,
        rebuild_after: float = REBUILD_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self.radius = radius
        self.rebuild_after = rebuild_after
        self._clock = clock
        self._lock = threading.Lock()
        self._index: HashIndex[int] = HashIndex(radius)
        self._ad_pks: list[int] = []  # index key // 2 -> the row's ad pk (key % 2: pHash, dHash)
        self._last_id = 0
        self._built_at: float | None = None

    def _read_since(self, session: Session, last_id: int) -> None:
        """Add the rows with an id above `last_id`, a batch at a time."""
        while True:
            query = (
                select(AdImage.id, AdImage.ad_pk, AdImage.phash, AdImage.dhash)
                .where(col(AdImage.id) > last_id)
                .order_by(col(AdImage.id))
                .limit(BATCH)
            )
            rows = session.exec(query).all()
            if not rows:
                return
            keys: list[int] = []
            hashes: list[int] = []
            for row_id, ad_pk, phash, dhash in rows:
                position = len(self._ad_pks)
                self._ad_pks.append(ad_pk)
                for which, value in enumerate((phash, dhash)):
                    h = _hash(value)
                    if h is not None:
                        keys.append(2 * position + which)
                        hashes.append(h)
                last_id = int(row_id or 0)
            if keys:
                self._index.add_many(keys, np.array(hashes, dtype=np.uint64))
            self._last_id = last_id

    def refresh(self) -> None:
        """Add the rows stored since the last look; rebuild when the index is old."""
        with self._lock, Session(self._engine) as session:
            now = self._clock()
            if self._built_at is None or now - self._built_at >= self.rebuild_after:
                self._index, self._ad_pks, self._last_id = HashIndex(self.radius), [], 0
                self._built_at = now
            newest = session.exec(select(func.max(AdImage.id))).one()
            if newest is not None and newest > self._last_id:
                self._read_since(session, self._last_id)

    def ad_pks(self, image_hash: str, radius: int | None = None) -> set[int]:
        """The pks of the ads with an image whose pHash or dHash is within `radius` bits of
        `image_hash` (16 hex digits), checked against their current rows."""
        r = self.radius if radius is None else radius
        wanted = _hash(image_hash)
        if wanted is None:
            return set()
        self.refresh()
        with self._lock:
            candidates = {self._ad_pks[key // 2] for key, _ in self._index.query(wanted, r)}
        if not candidates:
            return set()
        with Session(self._engine) as session:
            rows = session.exec(
                select(AdImage.ad_pk, AdImage.phash, AdImage.dhash).where(
                    col(AdImage.ad_pk).in_(candidates)
                )
            ).all()
        return {pk for pk, ph, dh in rows if _near(ph, wanted, r) or _near(dh, wanted, r)}


def _near(stored: str | None, wanted: int, radius: int) -> bool:
    h = _hash(stored)
    return h is not None and (h ^ wanted).bit_count() <= radius
