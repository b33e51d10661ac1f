"""Read queries of the review app beyond `Store`: search, related ads, one network, dashboard
counts. Read-only; every result is a read model (StoredAd, Network, plain counts)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Engine, cast, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pipeline.types import AdKey, Network
from storage.networks import get_network as network_by_id
from storage.records import StoredAd, stored_ad
from storage.tables import Ad, AdAlias, AdFlag, AdImage, AdPhone
from storage.textsearch import matching_ad_ids

if TYPE_CHECKING:  # the hash index (numpy, numba) loads only for an image search
    from storage.imagesearch import ImageHashes

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200


def _ranked_ads(
    session: Session, pks: set[int] | Any, limit: int = SEARCH_LIMIT, offset: int = 0
) -> list[StoredAd]:
    """The ads of `pks` (a set, or a query selecting them: the database then reads only the
    page), best first, `limit` of them from `offset`."""
    if isinstance(pks, set) and not pks:
        return []
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset must be >= 0, not {limit} and {offset}")
    query = (
        select(Ad)
        .where(col(Ad.id).in_(pks))
        .order_by(col(Ad.max_score).desc(), col(Ad.last_seen).desc(), col(Ad.id))
        .limit(limit)
        .offset(offset)
    )
    return [stored_ad(row) for row in session.exec(query).all()]


def ads_with_phones(
    engine: Engine, *, phones: list[str], limit: int = SEARCH_LIMIT, offset: int = 0
) -> list[StoredAd]:
    with Session(engine) as session:
        pks = select(AdPhone.ad_pk).where(col(AdPhone.e164).in_(phones))
        return _ranked_ads(session, pks, limit, offset)


def ads_with_alias(
    engine: Engine, *, alias: str, limit: int = SEARCH_LIMIT, offset: int = 0
) -> list[StoredAd]:
    with Session(engine) as session:
        pks = select(AdAlias.ad_pk).where(func.lower(col(AdAlias.name)) == alias.lower())
        return _ranked_ads(session, pks, limit, offset)


def ads_with_image(
    engine: Engine,
    *,
    image_hash: str,
    radius: int = 10,
    index: ImageHashes | None = None,
    limit: int = SEARCH_LIMIT,
    offset: int = 0,
) -> list[StoredAd]:
    """Ads with an image whose pHash or dHash is within `radius` bits of `image_hash`, found
    through `index` (the app keeps one; without it, one is built for this query)."""
    if index is None:
        from storage.imagesearch import ImageHashes

        index = ImageHashes(engine, radius=radius)
    pks = index.ad_pks(image_hash, radius)
    with Session(engine) as session:
        return _ranked_ads(session, pks, limit, offset)


def ads_with_text(
    engine: Engine, *, text: str, limit: int = SEARCH_LIMIT, offset: int = 0
) -> list[StoredAd]:
    """Ads whose title or text contains `text` (case-insensitive; storage.textsearch)."""
    with Session(engine) as session:
        return _ranked_ads(session, matching_ad_ids(engine, text), limit, offset)


@dataclass(frozen=True, slots=True)
class RelatedAd:
    """What the ad page lists of a related ad: its key, title, zone and score (read from the
    ad's columns, not its JSON documents: a pimp's ad has up to 2 × 200 related ads)."""

    site: str
    ad_id: str
    title: str
    zone: str | None
    max_score: float


def _related(session: Session, pks: set[int]) -> list[RelatedAd]:
    """The ads of `pks`, best first (as `_ranked_ads`), `SEARCH_LIMIT` of them, as listed."""
    if not pks:
        return []
    query = (
        sa_select(col(Ad.site), col(Ad.ad_id), col(Ad.title), col(Ad.zone), col(Ad.max_score))
        .where(col(Ad.id).in_(pks))
        .order_by(col(Ad.max_score).desc(), col(Ad.last_seen).desc(), col(Ad.id))
        .limit(SEARCH_LIMIT)
    )
    return [RelatedAd(*row) for row in session.execute(query).all()]


def related_ads(engine: Engine, *, site: str, ad_id: str) -> dict[str, list[RelatedAd]]:
    """Other ads sharing the ad's phone ("phone") or one of its image hashes ("image")."""
    with Session(engine) as session:
        pk = session.exec(select(Ad.id).where(col(Ad.site) == site, col(Ad.ad_id) == ad_id)).first()
        if pk is None:
            return {"phone": [], "image": []}
        phones = select(AdPhone.e164).where(col(AdPhone.ad_pk) == pk)
        by_phone = session.exec(
            select(AdPhone.ad_pk).where(col(AdPhone.e164).in_(phones), col(AdPhone.ad_pk) != pk)
        ).all()
        hashes = [
            h
            for p, d in session.exec(
                select(AdImage.phash, AdImage.dhash).where(col(AdImage.ad_pk) == pk)
            ).all()
            for h in (p, d)
            if h
        ]
        by_image: set[int] = set()
        if hashes:
            by_image = set(
                session.exec(
                    select(AdImage.ad_pk).where(
                        or_(col(AdImage.phash).in_(hashes), col(AdImage.dhash).in_(hashes)),
                        col(AdImage.ad_pk) != pk,
                    )
                ).all()
            )
        return {"phone": _related(session, set(by_phone)), "image": _related(session, by_image)}


def get_network(engine: Engine, *, network_id: str) -> Network | None:
    """One network, read by its id."""
    return network_by_id(engine, network_id=network_id)


KEYS_PER_QUERY = 1000
"""Keys looked up per statement: far under PostgreSQL's 65,535 and SQLite's parameter limits."""


def ads_by_keys(engine: Engine, *, keys: Sequence[AdKey]) -> dict[AdKey, StoredAd]:
    """The current ads of `keys` (any number: read a chunk of keys per statement)."""
    wanted = sorted(set(keys))
    found: dict[AdKey, StoredAd] = {}
    with Session(engine) as session:
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            chunk = set(wanted[start : start + KEYS_PER_QUERY])
            sites = {site for site, _ in chunk}
            ids = {ad_id for _, ad_id in chunk}
            query = select(Ad).where(col(Ad.site).in_(sites), col(Ad.ad_id).in_(ids))
            for row in session.exec(query).all():
                if (row.site, row.ad_id) in chunk:
                    found[(row.site, row.ad_id)] = stored_ad(row)
    return found


def _day(dialect: str) -> Any:
    """The UTC day an ad was first seen (a date, or YYYY-MM-DD text), computed by the database."""
    if dialect == "postgresql":  # a date (twice as fast to group as to_char's text)
        return cast(func.timezone("UTC", col(Ad.first_seen)), Date)
    return func.substr(col(Ad.first_seen), 1, 10)  # SQLite keeps the UTC time as ISO text


def dashboard_counts(engine: Engine) -> dict[str, Counter[str]]:
    """Counts of current ads: "zone", "site", "day" (first seen), and the flagged ones of each
    ("flagged_zone", "flagged_site", "flagged_day"). Counted by the database in one pass
    (GROUP BY zone, site, day; the narrow index `ix_ad_zone_site_first_seen` serves it without
    reading the ads' rows): one row per zone, site and day comes back, never one per ad."""
    flagged = col(Ad.id).in_(select(AdFlag.ad_pk)).label("flagged")
    day = _day(engine.dialect.name).label("day")
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("zone", "site", "day", "flagged_zone", "flagged_site", "flagged_day")
    }
    query = sa_select(col(Ad.zone), col(Ad.site), day, flagged, func.count()).group_by(
        col(Ad.zone), col(Ad.site), day, flagged
    )
    with engine.connect() as connection:
        for zone, site, day_text, is_flagged, n in connection.execute(query):
            day_text = day_text.isoformat() if isinstance(day_text, date) else day_text
            keys = {"zone": zone or "-", "site": site, "day": str(day_text or "?")}
            for name, key in keys.items():
                counts[name][key] += int(n)
                if is_flagged:
                    counts["flagged_" + name][key] += int(n)
    return counts
