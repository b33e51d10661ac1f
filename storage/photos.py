"""The stored photos of every ad in one `pipeline.photomatch.PhotoIndex`: what watchlists search
(and any other caller that matches a photo against the whole database), with the same decision
and the same hash kinds as linking — a pHash only with pHashes, a dHash with dHashes, DCT
region hashes in their 8 orientations.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from pipeline.photomatch import MatchRule, Photo, PhotoIndex
from pipeline.types import AdKey
from storage.tables import Ad, AdImage

log = logging.getLogger(__name__)

BATCH = 50_000
_COLUMNS: tuple[Any, ...] = (
    AdImage.id, Ad.site, Ad.ad_id, AdImage.phash, AdImage.dhash, AdImage.dct,
)


def stored_photo(phash: str | None, dhash: str | None, dct: str | None) -> Photo:
    """A stored row's photo; a malformed hash (an old row, another tool) is left out, logged."""
    parts: list[str | None] = [phash, dhash, dct]
    for i, value in enumerate(parts):
        try:
            Photo.of(*(value if j == i else None for j in range(3)))
        except ValueError:
            log.warning("malformed image hash skipped: %r", (value or "")[:80])
            parts[i] = None
    return Photo.of(*parts)


def photo_index(session: Session, rule: MatchRule | None = None) -> PhotoIndex[AdKey]:
    """Every stored image of every current ad, keyed by its ad's (site, ad_id)."""
    index: PhotoIndex[AdKey] = PhotoIndex(rule)
    last = 0
    while True:
        rows = session.execute(
            select(*_COLUMNS)
            .join(Ad, col(Ad.id) == col(AdImage.ad_pk))
            .where(col(AdImage.id) > last)
            .order_by(col(AdImage.id))
            .limit(BATCH)
        ).all()
        if not rows:
            return index
        items = []
        for row_id, site, ad_id, phash, dhash, dct in rows:
            last = int(row_id or 0)
            photo = stored_photo(phash, dhash, dct)
            if photo:
                items.append(((site, ad_id), photo))
        index.extend(items)
