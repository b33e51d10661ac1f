"""Reading ads: lookups, the ranked list with its filters, versions, and the linking feed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from pipeline.types import Analysis, RawAd
from storage.codec import analysis_from_dict, rawad_from_dict
from storage.records import StoredAd, StoredVersion, stored_ad, stored_version
from storage.tables import Ad, AdFlag, AdPhone, AdVersion

ANALYSES_BATCH = 500


def _filtered(
    query: SelectOfScalar[Any], *, flag: str | None, zone: str | None, site: str | None
) -> SelectOfScalar[Any]:
    if flag is not None:
        flagged = select(AdFlag.ad_pk).where(col(AdFlag.flag) == flag)
        query = query.where(col(Ad.id).in_(flagged))
    if zone is not None:
        query = query.where(col(Ad.zone) == zone)
    if site is not None:
        query = query.where(col(Ad.site) == site)
    return query


def _ranked(query: SelectOfScalar[Ad]) -> SelectOfScalar[Ad]:
    return query.order_by(col(Ad.max_score).desc(), col(Ad.last_seen).desc(), col(Ad.id))


def get_ad(engine: Engine, *, site: str, ad_id: str) -> StoredAd | None:
    with Session(engine) as session:
        query = select(Ad).where(col(Ad.site) == site, col(Ad.ad_id) == ad_id)
        row = session.exec(query).first()
        return stored_ad(row) if row is not None else None


def list_ads(
    engine: Engine,
    *,
    flag: str | None,
    zone: str | None,
    site: str | None,
    limit: int,
    offset: int,
) -> list[StoredAd]:
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset must be >= 0, not {limit} and {offset}")
    query = _ranked(_filtered(select(Ad), flag=flag, zone=zone, site=site))
    with Session(engine) as session:
        rows = session.exec(query.limit(limit).offset(offset)).all()
        return [stored_ad(row) for row in rows]


def count_ads(engine: Engine, *, flag: str | None, zone: str | None, site: str | None) -> int:
    query = _filtered(select(func.count()).select_from(Ad), flag=flag, zone=zone, site=site)
    with Session(engine) as session:
        return int(session.exec(query).one())


def counts_by_site(engine: Engine) -> dict[str, int]:
    query = select(Ad.site, func.count()).group_by(col(Ad.site)).order_by(col(Ad.site))
    with Session(engine) as session:
        return {site: int(n) for site, n in session.exec(query).all()}


def versions(engine: Engine, *, site: str, ad_id: str) -> list[StoredVersion]:
    # The versions only: not the ad's own row (its JSON documents) once per version.
    query = (
        select(AdVersion)
        .join(Ad, col(AdVersion.ad_pk) == col(Ad.id))
        .where(col(Ad.site) == site, col(Ad.ad_id) == ad_id)
        .order_by(col(AdVersion.version))
    )
    with Session(engine) as session:
        return [stored_version(site, ad_id, row) for row in session.exec(query).all()]


def ads_with_phone(engine: Engine, *, e164: str) -> list[StoredAd]:
    having = select(AdPhone.ad_pk).where(col(AdPhone.e164) == e164)
    query = _ranked(select(Ad).where(col(Ad.id).in_(having)))
    with Session(engine) as session:
        return [stored_ad(row) for row in session.exec(query).all()]


def analyses(engine: Engine, *, batch: int = ANALYSES_BATCH) -> Iterator[tuple[RawAd, Analysis]]:
    """Every current ad with its analysis, in batches of short read transactions (keyset on id),
    so a slow consumer holds no transaction open."""
    after = 0
    while True:
        query = (
            select(Ad.id, Ad.raw_json, Ad.analysis_json)
            .where(col(Ad.id) > after)
            .order_by(col(Ad.id))
            .limit(batch)
        )
        with Session(engine) as session:
            rows = session.exec(query).all()
        for _pk, raw_doc, analysis_doc in rows:
            yield rawad_from_dict(raw_doc), analysis_from_dict(analysis_doc)
        if len(rows) < batch:
            return
        after = int(rows[-1][0] or 0)


Stamp = tuple[Any, ...]


def ad_stamps(engine: Engine) -> dict[tuple[str, str], Stamp]:
    """Every current ad's stamp: what moves when it is fetched again, changes or is scored again
    (content hash, fetch time, scores, flags, model). One narrow read: how incremental linking
    (`vigie.storedlinks`) finds the ads to read again."""
    query = sa_select(*(col(c) for c in (
        Ad.site, Ad.ad_id, Ad.content_sha256, Ad.fetched_at, Ad.minor_score,
        Ad.trafficking_score, Ad.flags, Ad.model_version,
    )))
    with engine.connect() as conn:
        return {(str(row[0]), str(row[1])): tuple(row[2:]) for row in conn.execute(query)}
