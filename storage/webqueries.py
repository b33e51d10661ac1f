"""Read queries of the review app beyond `Store`: search, related ads, one network, dashboard
counts. Read-only; every result is a read model (StoredAd, Network, plain counts)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine, func, or_
from sqlmodel import Session, col, select

from pipeline.images import hamming
from pipeline.types import AdKey, Network
from storage.networks import list_networks
from storage.records import StoredAd, stored_ad
from storage.tables import Ad, AdAlias, AdFlag, AdImage, AdPhone

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200


def _ranked_ads(session: Session, pks: set[int], limit: int = SEARCH_LIMIT) -> list[StoredAd]:
    if not pks:
        return []
    query = (
        select(Ad)
        .where(col(Ad.id).in_(pks))
        .order_by(col(Ad.max_score).desc(), col(Ad.last_seen).desc(), col(Ad.id))
        .limit(limit)
    )
    return [stored_ad(row) for row in session.exec(query).all()]


def ads_with_phones(engine: Engine, *, phones: list[str]) -> list[StoredAd]:
    with Session(engine) as session:
        pks = session.exec(select(AdPhone.ad_pk).where(col(AdPhone.e164).in_(phones))).all()
        return _ranked_ads(session, set(pks))


def ads_with_alias(engine: Engine, *, alias: str) -> list[StoredAd]:
    with Session(engine) as session:
        query = select(AdAlias.ad_pk).where(func.lower(col(AdAlias.name)) == alias.lower())
        return _ranked_ads(session, set(session.exec(query).all()))


def ads_with_image(engine: Engine, *, image_hash: str, radius: int = 10) -> list[StoredAd]:
    """Ads with an image whose pHash or dHash is within `radius` bits of `image_hash`."""
    with Session(engine) as session:
        rows = session.exec(select(AdImage.ad_pk, AdImage.phash, AdImage.dhash)).all()
        pks = {
            pk
            for pk, phash, dhash in rows
            if any(_within(h, image_hash, radius) for h in (phash, dhash))
        }
        return _ranked_ads(session, pks)


def _within(stored: str | None, wanted: str, radius: int) -> bool:
    """A malformed stored hash (not hex) matches nothing, and is logged, never a 500."""
    if not stored or len(stored) != len(wanted):
        return False
    try:
        return hamming(stored, wanted) <= radius
    except ValueError:
        log.warning("malformed image hash skipped: %r", stored[:80])
        return False


def ads_with_text(engine: Engine, *, text: str) -> list[StoredAd]:
    """Ads whose title or text contains `text` (case-insensitive)."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with Session(engine) as session:
        query = select(Ad.id).where(
            or_(
                func.lower(col(Ad.title)).like(pattern, escape="\\"),
                func.lower(col(Ad.text)).like(pattern, escape="\\"),
            )
        )
        return _ranked_ads(session, {pk for pk in session.exec(query).all() if pk is not None})


def related_ads(engine: Engine, *, site: str, ad_id: str) -> dict[str, list[StoredAd]]:
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
        return {
            "phone": _ranked_ads(session, set(by_phone)),
            "image": _ranked_ads(session, by_image),
        }


def get_network(engine: Engine, *, network_id: str) -> Network | None:
    for network in list_networks(engine, min_zones=0):
        if network.network_id == network_id:
            return network
    return None


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


def dashboard_counts(engine: Engine) -> dict[str, Counter[str]]:
    """Counts of current ads: "zone", "site", "day" (first seen), and the flagged ones of each
    ("flagged_zone", "flagged_site", "flagged_day")."""
    flagged_pks = select(AdFlag.ad_pk)
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("zone", "site", "day", "flagged_zone", "flagged_site", "flagged_day")
    }
    with Session(engine) as session:
        query = select(Ad.zone, Ad.site, Ad.first_seen, col(Ad.id).in_(flagged_pks))
        for zone, site, first_seen, flagged in session.exec(query).all():
            day = first_seen.date().isoformat() if isinstance(first_seen, date) else "?"
            keys = {"zone": zone or "-", "site": site, "day": day}
            for name, key in keys.items():
                counts[name][key] += 1
                if flagged:
                    counts["flagged_" + name][key] += 1
    return counts
