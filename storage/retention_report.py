"""The review-period reminder: what Vigie holds past its retention period, and since when.

For a data-protection officer, three lists and one figure:

- `held`: ads last seen before the retention cut-off that a reason keeps (a flag, a review, an
  open alert — see storage.retention) where even the newest reason is older than the review
  cut-off (now minus `review_months`): someone should decide whether keeping them is still
  justified (close the alert, record a new decision, or let them go);
- `imports`: other zones' exchange files imported before the review cut-off, still held;
- `due`: how many ads the next `vigie purge` would erase now;
- the audit trail's size and age (it is never purged by Vigie; its own retention is the zone's).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, or_
from sqlmodel import Session, col, select

from storage.audit import AuditEntry
from storage.columns import as_utc
from storage.exchange.tables import ImportedFile
from storage.retention import Schema, flagged_clause, keep_clauses, months_before
from storage.reviews import Decision
from storage.tables import Ad


@dataclass(frozen=True, slots=True)
class HeldAd:
    """An ad kept past the retention period, why, and since when the newest reason dates."""

    site: str
    ad_id: str
    last_seen: datetime
    reasons: tuple[str, ...]  # "flagged", "reviewed: dismiss on 2025-01-02", "open alert #3"…
    since: datetime


@dataclass(frozen=True, slots=True)
class HeldImport:
    file_name: str
    sha256: str
    source_zone: str
    imported_at: datetime
    indicators: int


@dataclass(frozen=True, slots=True)
class RetentionReport:
    now: datetime
    retention_months: int
    review_months: int
    retention_cutoff: datetime
    review_cutoff: datetime
    due: int
    held: list[HeldAd]
    imports: list[HeldImport]
    audit_entries: int
    audit_oldest: datetime | None


_ALERTS = {"watch_alert": "watchlist alert", "exchange_alert": "alert on another zone's indicator"}


def _datetime(value: object) -> datetime:
    """A reflected timestamp column: SQLite hands back text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _held(
    session: Session, schema: Schema, retention_cutoff: datetime, review_cutoff: datetime
) -> list[HeldAd]:
    keep = or_(*keep_clauses(schema).values())
    query = select(Ad.site, Ad.ad_id, Ad.last_seen, Ad.flags).where(
        col(Ad.last_seen) < retention_cutoff, keep
    )
    ads = {(s, a): (last_seen, flags) for s, a, last_seen, flags in session.exec(query)}
    if not ads:
        return []
    flagged_query = select(Ad.site, Ad.ad_id).where(
        col(Ad.last_seen) < retention_cutoff, flagged_clause()
    )
    flagged = set(session.exec(flagged_query).all())
    reasons: dict[tuple[str, str], list[tuple[datetime, str]]] = defaultdict(list)
    for key, (last_seen, flags) in ads.items():
        if key in flagged:
            what = f"flagged {flags}" if flags else "in a flagged network"
            reasons[key].append((last_seen, what))
    latest: dict[tuple[str, str], Decision] = {}
    for row in session.exec(select(Decision).order_by(col(Decision.id))):
        if (row.site, row.ad_id) in ads:
            latest[(row.site, row.ad_id)] = row
    for key, decision in latest.items():
        reasons[key].append(
            (decision.at, f"reviewed: {decision.decision} by {decision.actor} "
                          f"on {decision.at:%Y-%m-%d}")
        )
    for table in schema.alerts:
        if not {"id", "created_at"} <= set(table.columns.keys()):
            continue  # an alert table of another shape: it keeps its ads, undated here
        for site, ad_id, alert_id, created_at in session.connection().execute(
            select(table.c.site, table.c.ad_id, table.c.id, table.c.created_at).where(
                table.c.open.is_(True)
            )
        ):
            if (site, ad_id) in ads:
                at = as_utc(_datetime(created_at))
                reasons[(site, ad_id)].append(
                    (at, f"open {_ALERTS.get(table.name, table.name)} #{alert_id} "
                         f"since {at:%Y-%m-%d}")
                )
    held = []
    for key, found in reasons.items():
        since = max(as_utc(at) for at, _ in found)
        if since < review_cutoff:
            held.append(HeldAd(key[0], key[1], ads[key][0], tuple(w for _, w in found), since))
    return sorted(held, key=lambda h: (h.since, h.site, h.ad_id))


def retention_report(
    engine: Engine,
    *,
    retention_months: int,
    review_months: int,
    now: datetime | None = None,
) -> RetentionReport:
    """What is held past its retention or review date (see the module doc)."""
    moment = as_utc(now or datetime.now(UTC))
    retention_cutoff = months_before(moment, retention_months)
    review_cutoff = months_before(moment, review_months)
    with Session(engine) as session:
        schema = Schema.read(session.connection())
        keep = or_(*keep_clauses(schema).values())
        due_query = select(func.count()).select_from(Ad).where(
            col(Ad.last_seen) < retention_cutoff, ~keep
        )
        due = int(session.exec(due_query).one())
        held = _held(session, schema, retention_cutoff, review_cutoff)
        files = session.exec(
            select(ImportedFile)
            .where(col(ImportedFile.imported_at) < review_cutoff)
            .order_by(col(ImportedFile.imported_at))
        ).all()
        imports = [
            HeldImport(f.file_name, f.sha256, f.source_zone, f.imported_at, f.indicator_count)
            for f in files
        ]
        total, oldest = session.exec(
            select(func.count(), func.min(AuditEntry.at)).select_from(AuditEntry)
        ).one()
    return RetentionReport(
        now=moment, retention_months=retention_months, review_months=review_months,
        retention_cutoff=retention_cutoff, review_cutoff=review_cutoff, due=due, held=held,
        imports=imports, audit_entries=int(total),
        audit_oldest=as_utc(oldest) if isinstance(oldest, datetime) else None,
    )
