"""The rows of the listing commands' `--json` output: one plain dict per listed object.

Times are ISO 8601 in UTC (machines read these); the tables show Europe/Brussels time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.types import Network
    from storage.exchange.matching import Match
    from storage.records import StoredAd
    from storage.runs import CrawlRun
    from storage.users import User


def ad(row: StoredAd) -> dict[str, Any]:
    a = row.analysis
    return {
        "site": row.site,
        "ad": row.ad_id,
        "zone": a.zone,
        "commune": a.commune,
        "minor_score": round(a.minor_score, 4),
        "trafficking_score": round(a.trafficking_score, 4),
        "flags": list(a.flags),
        "phones": [p.e164 for p in a.phones],
        "reasons": [
            {"code": i.code, "description": i.description, "weight": i.weight,
             "quotes": [s.quote for s in i.spans]}
            for i in sorted(a.indicators, key=lambda i: -i.weight)
        ],
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "url": row.raw.url,
    }


def network(n: Network) -> dict[str, Any]:
    return {
        "network": n.network_id,
        "ads": [list(m) for m in n.members],
        "risk": round(n.risk, 4),
        "phones": list(n.phones),
        "aliases": list(n.aliases),
        "sites": list(n.sites),
        "zones": list(n.zones),
        "also_seen_by": list(n.foreign_zones),
        "movement": list(n.movement),
        "first_seen": n.first_seen,
        "last_seen": n.last_seen,
    }


def run(r: CrawlRun) -> dict[str, Any]:
    return {
        "run": r.id,
        "site": r.site,
        "zone": r.zone,
        "started": r.started_at,
        "finished": r.finished_at,
        "status": r.status,
        "message": r.message,
        "new": r.ads_new,
        "changed": r.ads_changed,
        "same": r.ads_unchanged,
        "errors": r.errors,
        "stats": r.stats,
    }


def match(m: Match) -> dict[str, Any]:
    return {
        "site": m.ad[0],
        "ad": m.ad[1],
        "zone": m.ad_zone,
        "kind": m.kind,
        "platform": m.platform,
        "value": m.local_value,
        "pseudonymised": m.indicator.pseudonymised,
        "distance": m.distance,
        "source_zone": m.source_zone,
        "file": m.indicator.file_name,
    }


def user(u: User) -> dict[str, Any]:
    return {
        "username": u.username,
        "role": u.role,
        "zone": u.zone,
        "lang": u.lang,
        "disabled": u.disabled,
        "created": u.created_at,
    }
