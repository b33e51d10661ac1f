"""Writing one ad: idempotent upsert on (site, ad_id), a new version per distinct content;
rescoring its current analysis once linking knows the size of its network.

The network size an analysis was scored with is recorded in the analysis document under
`NETWORK_SIZE` (absent: scored before linking, i.e. as if alone), so relinking rescores only the
ads whose network changed. A crawl that stores a fresh analysis of an unchanged ad (scored
without its network) drops it, and the next link rescores the ad again.

These functions run inside a caller's write transaction (see repository.Store.save).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

from sqlmodel import Session, SQLModel, col, delete, select

from pipeline.types import Analysis, ImageRef, PhoneMatch, RawAd
from storage.codec import analysis_to_dict, rawad_from_dict, rawad_to_dict
from storage.columns import as_utc
from storage.errors import StorageError
from storage.linkindex import queue_ad
from storage.tables import Ad, AdAlias, AdContact, AdFlag, AdImage, AdPhone, AdVersion

SaveOutcome = Literal["new", "changed", "unchanged"]
NETWORK_SIZE = "network_size"
"""Key of the analysis document: the network size the analysis was scored with."""
T = TypeVar("T")

_CHILD_TABLES: tuple[type[AdPhone | AdContact | AdImage | AdAlias | AdFlag], ...] = (
    AdPhone,
    AdContact,
    AdImage,
    AdAlias,
    AdFlag,
)


def content_sha256(raw: RawAd) -> str:
    """Hash of what an ad says (content fields and image URLs), for change detection.

    Not the page hash: pages carry dynamic bits (counters, tokens), and neither the URL nor the
    order of the images changes what the ad says. An image served from the ad page's own origin
    counts by its path, so a site that moves host or port (the demo's ephemeral port, a mirror)
    does not make every ad "changed".
    """
    doc = {
        "title": raw.title,
        "text": raw.text,
        "location_text": raw.location_text,
        "contact_text": raw.contact_text,
        "lang": raw.lang,
        "posted_at": as_utc(raw.posted_at).isoformat() if raw.posted_at else None,
        "images": sorted({_same_origin_path(image.url, raw.url) for image in raw.images}),
    }
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _same_origin_path(url: str, page_url: str) -> str:
    image, page = urlsplit(url), urlsplit(page_url)
    if (image.scheme, image.netloc) == (page.scheme, page.netloc):
        return urlunsplit(("", "", image.path, image.query, ""))
    return url


def _scrub(value: Any) -> Any:
    """Replace NUL (which PostgreSQL text and JSONB refuse) by U+FFFD, keeping every offset."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


def prepare(raw: RawAd, analysis: Analysis) -> tuple[RawAd, dict[str, Any], dict[str, Any]]:
    """Check the pair and return the RawAd as stored with its and its analysis' JSON documents."""
    if (raw.site, raw.ad_id) != (analysis.site, analysis.ad_id):
        raise ValueError(
            f"analysis of {analysis.site}/{analysis.ad_id} given for ad {raw.site}/{raw.ad_id}"
        )
    for name in ("minor_score", "trafficking_score"):
        if not math.isfinite(getattr(analysis, name)):
            raise ValueError(f"{name} of {raw.site}/{raw.ad_id} is not a finite number")
    raw_doc = rawad_to_dict(raw)
    scrubbed = _scrub(raw_doc)
    if scrubbed != raw_doc:
        raw, raw_doc = rawad_from_dict(scrubbed), scrubbed
    return raw, raw_doc, _scrub(analysis_to_dict(analysis))


def upsert(
    session: Session, raw: RawAd, analysis: Analysis, seen: datetime, *, network_size: int = 1
) -> SaveOutcome:
    """Insert or update the ad; the caller commits (and retries on a unique violation).
    `network_size` > 1: the analysis was scored with that network size (kept with it, so the
    next link does not rescore it again)."""
    raw, raw_doc, analysis_doc = prepare(raw, analysis)
    if network_size > 1:
        analysis_doc[NETWORK_SIZE] = network_size
    seen = as_utc(seen)
    digest = content_sha256(raw)
    query = select(Ad).where(col(Ad.site) == raw.site, col(Ad.ad_id) == raw.ad_id)
    row = session.exec(query.with_for_update()).first()
    if row is None:
        row = Ad(
            site=raw.site,
            ad_id=raw.ad_id,
            first_seen=seen,
            last_seen=seen,
            version=1,
            content_sha256=digest,
            **_content_columns(raw, raw_doc),
            **_analysis_columns(analysis, analysis_doc),
        )
        session.add(row)
        session.flush()  # a concurrent insert of the same ad fails here
        _add_version(session, row, raw_doc, analysis_doc, seen)
        _replace_children(session, _pk(row), raw, analysis)
        queue_ad(session, _pk(row))
        return "new"
    row.first_seen = min(row.first_seen, seen)
    row.last_seen = max(row.last_seen, seen)
    changed = row.content_sha256 != digest
    reanalysed = row.analysis_json != analysis_doc
    row.sqlmodel_update(_content_columns(raw, raw_doc))
    if changed:
        row.version += 1
        row.content_sha256 = digest
        _add_version(session, row, raw_doc, analysis_doc, seen)
    if changed or reanalysed:
        # Same content analysed anew (e.g. a new model): the current row follows the analysis.
        row.sqlmodel_update(_analysis_columns(analysis, analysis_doc))
        _replace_children(session, _pk(row), raw, analysis)
    session.add(row)
    queue_ad(session, _pk(row))
    return "changed" if changed else "unchanged"


def _pk(row: Ad) -> int:
    if row.id is None:
        raise StorageError(f"ad {row.site}/{row.ad_id} has no primary key after flush")
    return row.id


def _content_columns(raw: RawAd, raw_doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": raw.url,
        "title": raw.title,
        "text": raw.text,
        "location_text": raw.location_text,
        "contact_text": raw.contact_text,
        "lang": raw.lang,
        "posted_at": raw.posted_at,
        "page_sha256": raw.page_sha256,
        "fetched_at": raw.fetched_at,
        "raw_json": raw_doc,
    }


def _analysis_columns(analysis: Analysis, analysis_doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "zone": analysis.zone,
        "commune": analysis.commune,
        "minor_score": analysis.minor_score,
        "trafficking_score": analysis.trafficking_score,
        "max_score": max(analysis.minor_score, analysis.trafficking_score),
        "flags": ",".join(_unique(analysis.flags)),
        "model_version": analysis.model_version,
        "analysis_json": analysis_doc,
    }


def _add_version(
    session: Session,
    row: Ad,
    raw_doc: dict[str, Any],
    analysis_doc: dict[str, Any],
    seen: datetime,
) -> None:
    session.add(
        AdVersion(
            ad_pk=_pk(row),
            version=row.version,
            content_sha256=row.content_sha256,
            page_sha256=row.page_sha256,
            url=row.url,
            fetched_at=row.fetched_at,
            seen_at=seen,
            raw_json=raw_doc,
            analysis_json=analysis_doc,
        )
    )


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def merged_images(raw: RawAd, analysis: Analysis) -> list[ImageRef]:
    """The ad's images in page order, with the analysis' hashes where it has them."""
    hashed = {image.url: image for image in analysis.images}
    urls = _unique(image.url for image in (*raw.images, *analysis.images))
    by_url = {image.url: image for image in raw.images}
    return [hashed.get(url) or by_url[url] for url in urls]


def _replace_children(session: Session, pk: int, raw: RawAd, analysis: Analysis) -> None:
    for table in _CHILD_TABLES:
        session.exec(delete(table).where(col(table.ad_pk) == pk))
    phones: dict[str, PhoneMatch] = {}  # e164 -> its first match
    for phone in analysis.phones:
        phones.setdefault(phone.e164, phone)
    rows: list[SQLModel] = [
        AdPhone(ad_pk=pk, e164=p.e164, region=p.region, obfuscated=p.obfuscated)
        for p in phones.values()
    ]
    rows += [
        AdContact(ad_pk=pk, kind=kind, value=value)
        for kind, value in _unique((c.kind, c.value) for c in analysis.contacts)
    ]
    rows += [
        AdImage(
            ad_pk=pk, position=i, url=image.url, phash=image.phash, dhash=image.dhash,
            dct=image.dct,
        )
        for i, image in enumerate(merged_images(raw, analysis))
    ]
    rows += [AdAlias(ad_pk=pk, name=name) for name in _unique(a.name for a in analysis.aliases)]
    rows += [AdFlag(ad_pk=pk, flag=flag) for flag in _unique(analysis.flags)]
    session.add_all(rows)


def scored_network_size(analysis_doc: dict[str, Any]) -> int:
    """The network size a stored analysis was scored with (0: before linking)."""
    value = analysis_doc.get(NETWORK_SIZE, 0)
    return value if isinstance(value, int) else 0


def networked(session: Session) -> dict[tuple[str, str], int]:
    """(site, ad_id) → network size of every current ad scored with a network of 2 or more."""
    size = col(Ad.analysis_json)[NETWORK_SIZE].as_integer()
    query = select(Ad.site, Ad.ad_id, size).where(size > 1)
    return {(site, ad_id): int(n) for site, ad_id, n in session.exec(query).all()}


def rescore(
    session: Session,
    *,
    content_sha256: str,
    analysis: Analysis,
    network_size: int,
) -> bool:
    """Store `analysis` (the same extraction, scored again with `network_size`) as the ad's
    current analysis: scores, flags and indicators move, the content version, its history and
    last_seen do not. False (nothing written) if the ad is gone or its content changed since
    it was read (`content_sha256`): the newer content was analysed anew and is linked next time.
    """
    query = select(Ad).where(col(Ad.site) == analysis.site, col(Ad.ad_id) == analysis.ad_id)
    row = session.exec(query.with_for_update()).first()
    if row is None or row.content_sha256 != content_sha256:
        return False
    if not math.isfinite(analysis.minor_score) or not math.isfinite(analysis.trafficking_score):
        raise ValueError(f"scores of {analysis.site}/{analysis.ad_id} are not finite numbers")
    doc = {**_scrub(analysis_to_dict(analysis)), NETWORK_SIZE: network_size}
    row.sqlmodel_update(_analysis_columns(analysis, doc))
    pk = _pk(row)
    session.exec(delete(AdFlag).where(col(AdFlag.ad_pk) == pk))
    session.add_all(AdFlag(ad_pk=pk, flag=flag) for flag in _unique(analysis.flags))
    session.add(row)
    return True
