"""Retention purge: what it erases (everything about an ad, in every table), what it keeps
(flagged, in a flagged network, reviewed, on an open alert, recent), one transaction, the audit
trail without the erased data; and the review-period reminder."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, select
from sqlmodel import Session
from sqlmodel import select as sqlmodel_select

import storage.retention as retention
from pipeline.types import Alias, Analysis, Contact, ImageRef, PhoneMatch, RawAd
from storage.audit import AuditLog
from storage.engine import create_schema
from storage.exchange.tables import ImportedFile
from storage.repository import Store
from storage.retention import erasure_reference, months_before, purge
from storage.retention_report import retention_report
from storage.reviews import record_decision
from storage.tables import Ad, NetworkEdge, NetworkMember
from storage.tables import Network as NetworkRow
from storage.watchlists import add_entry, close_alert, list_alerts, scan_alerts

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OLD = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)  # 16+ months before NOW
RECENT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
SITE = "demo-r"

Builder = Callable[..., None]


def _save(store: Store, ad_id: str, *, seen: datetime, flags: tuple[str, ...] = (),
          text: str = "Nouvelle en ville, disponible.", n: int = 0) -> None:
    """An ad whose every value carries a marker of its own (`ad_id`), to find it anywhere."""
    phone = f"+3247099{n:04d}"
    raw = RawAd(SITE, ad_id, f"http://127.0.0.1/{ad_id}/page", f"Titre {ad_id}",
                f"{text} {ad_id}", f"Ixelles {ad_id}", "fr",
                contact_text=f"{ad_id}@example.invalid",
                images=(ImageRef(f"http://127.0.0.1/img/{ad_id}.png"),))
    analysis = Analysis(
        site=SITE, ad_id=ad_id, phones=(PhoneMatch(phone, "BE", False, ()),),
        contacts=(Contact("telegram", f"tg_{ad_id}", ()),),
        aliases=(Alias(f"Alias{ad_id}", ()),),
        images=(ImageRef(f"http://127.0.0.1/img/{ad_id}.png", f"{n:016x}", f"{n + 1:016x}"),),
        minor_score=0.9 if flags else 0.1, flags=flags, model_version="test-1",
    )
    store.save(raw, analysis, seen_at=seen)


def _network(store: Store, *groups: tuple[str, ...]) -> None:
    """Networks written row by row (as storage.networks stores them)."""
    pks_of = {a: _pk(store, a) for group in groups for a in group}  # before the writing session
    with Session(store.engine) as session:
        for i, group in enumerate(groups):
            session.add(NetworkRow(network_id=f"N{i}", size=len(group), risk=0.5, zone_count=1,
                                   phones=[f"phone-of-{a}" for a in group],
                                   aliases=[f"Alias{a}" for a in group], sites=[SITE], zones=[],
                                   movement=[]))
            session.flush()
            pks = [pks_of[a] for a in group]
            session.add_all(NetworkMember(network_id=f"N{i}", ad_pk=pk, position=n)
                            for n, pk in enumerate(pks))
            session.add_all(NetworkEdge(network_id=f"N{i}", a_pk=a, b_pk=b, kind="text",
                                        evidence=f"same text {group[0]}", position=0)
                            for a, b in zip(pks, pks[1:], strict=False))
        session.commit()


@pytest.fixture
def populated(store: Store) -> Store:
    _save(store, "gone1", seen=OLD, n=1)
    _save(store, "gone1", seen=OLD + timedelta(days=3), text="Texte changé.", n=1)  # 2 versions
    _save(store, "gone2", seen=OLD, n=2)
    _save(store, "flagged", seen=OLD, flags=("minor",), n=3)
    _save(store, "partner", seen=OLD, n=4)  # unflagged, in a network with a flagged ad
    _save(store, "reviewed", seen=OLD, n=5)
    _save(store, "alerted", seen=OLD, n=6)
    _save(store, "fresh", seen=RECENT, n=7)
    _save(store, "fresh_flagged", seen=RECENT, flags=("trafficking",), n=8)
    _network(store, ("gone2", "fresh"), ("partner", "fresh_flagged"))
    record_decision(store.engine, site=SITE, ad_id="reviewed", actor="inv-1", zone="5339",
                    decision="dismiss", at=OLD)
    for n in (6, 1):  # "alerted" (stays open) and "gone1" (closed below)
        add_entry(store.engine, kind="phone", value=f"+3247099{n:04d}", label="",
                  created_by="inv-1", zone="5339")
    scan_alerts(store.engine)
    closed = next(a for a in list_alerts(store.engine) if a.ad_id == "gone1")
    close_alert(store.engine, alert_id=closed.id)
    return store


def _all_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the database holds (read from the database, not the models)."""
    meta = MetaData()
    with store.engine.connect() as conn:
        meta.reflect(bind=conn)
        assert {"ad", "ad_version", "network_member", "watch_alert", "audit_entry"} <= set(
            meta.tables
        )
        return {
            table.name: [dict(row._mapping) for row in conn.execute(select(table))]
            for table in meta.sorted_tables
        }


def _mentions(value: object, markers: tuple[str, ...]) -> bool:
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return any(m in text for m in markers)


def _pk(store: Store, ad_id: str) -> int:
    with Session(store.engine) as session:
        row = session.exec(sqlmodel_select(Ad).where(Ad.ad_id == ad_id)).one()
        assert row.id is not None
        return row.id


def _ad_ids(store: Store) -> set[str]:
    return {a.raw.ad_id for a in store.list_ads(limit=100)}


def test_purge_erases_every_row_of_an_unkept_ad_in_every_table(populated: Store) -> None:
    store = populated
    pks = {ad_id: _pk(store, ad_id) for ad_id in ("gone1", "gone2")}
    markers = ("gone1", "gone2", "+32470990001", "+32470990002", f"{1:016x}", f"{2:016x}")
    result = purge(store.engine, months=12, actor="dpo", reason="retention policy", zone="5339",
                   now=NOW)
    assert result.ads == 2
    assert _ad_ids(store) == {"flagged", "partner", "reviewed", "alerted", "fresh",
                              "fresh_flagged"}
    assert result.rows["ad"] == 2
    assert result.rows["ad_version"] == 3
    assert result.rows["watch_alert"] == 1  # gone1's closed alert
    assert result.rows["network"] == 1  # N0 (gone2 + fresh): rebuilt by the next link run
    left = _all_rows(store)
    assert [row["network_id"] for row in left["network"]] == ["N1"]
    for table, rows in left.items():
        if table == "watch_entry":
            continue  # the investigator's own watchlist input (a phone to look for), not ad data
        for row in rows:
            assert not _mentions(list(row.values()), markers), (table, row)
            for column, value in row.items():
                if column.endswith("_pk") or (table == "ad" and column == "id"):
                    assert value not in pks.values(), (table, column, row)


def test_purge_keeps_flagged_networked_reviewed_alerted_and_recent_ads(populated: Store) -> None:
    result = purge(populated.engine, months=12, actor="dpo", reason="policy", now=NOW)
    assert result.kept == {"flagged": 2, "reviewed": 1, "open_alert": 1}
    assert {"flagged", "partner", "reviewed", "alerted"} <= _ad_ids(populated)
    again = purge(populated.engine, months=12, actor="dpo", reason="policy", now=NOW)
    assert again.ads == 0
    # A shorter period reaches the recent unkept ad too.
    shorter = purge(populated.engine, months=1, actor="dpo", reason="policy",
                    now=NOW + timedelta(days=60))
    assert shorter.ads == 1
    assert "fresh" not in _ad_ids(populated)


def test_each_erasure_is_audited_without_the_erased_data(populated: Store) -> None:
    key = b"zone secret"
    pk = _pk(populated, "gone1")
    result = purge(populated.engine, months=12, actor="dpo", reason="retention policy",
                   zone="5339", reference_key=key, now=NOW)
    entries = AuditLog(populated.engine).entries(action="purge")
    per_ad = [e for e in entries if e.object_type == "ad"]
    assert len(per_ad) == result.ads == 2
    assert {e.actor for e in entries} == {"dpo"}
    assert {e.reason for e in entries} == {"retention policy"}
    assert {e.at for e in entries} == {NOW}
    gone1 = erasure_reference(pk, SITE, "gone1", key)
    assert any(e.object_id == f"ad#{pk}" and e.details["key_hmac"] == gone1["key_hmac"]
               for e in per_ad)
    summary = next(e for e in entries if e.object_type == "purge")
    assert summary.object_id == result.batch
    assert summary.details["ads"] == 2
    assert summary.details["rows"] == result.rows
    for entry in entries:
        assert not _mentions([entry.object_id, entry.details],
                             ("gone1", "gone2", "+3247099", "127.0.0.1", "Alias")), entry


def test_dry_run_counts_exactly_what_the_purge_erases_and_changes_nothing(
    populated: Store,
) -> None:
    before = _all_rows(populated)
    dry = purge(populated.engine, months=12, actor="dpo", reason="", dry_run=True, now=NOW)
    assert _all_rows(populated) == before
    real = purge(populated.engine, months=12, actor="dpo", reason="policy", now=NOW)
    assert (dry.ads, dry.rows, dry.by_site, dry.kept) == (real.ads, real.rows, real.by_site,
                                                          real.kept)
    assert dry.dry_run
    assert not real.dry_run


def test_a_failed_purge_erases_nothing(
    populated: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _all_rows(populated)

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(retention, "_audit_entries", broken)
    with pytest.raises(RuntimeError, match="audit unavailable"):
        purge(populated.engine, months=12, actor="dpo", reason="policy", now=NOW)
    assert _all_rows(populated) == before


def test_purge_needs_a_reason_and_a_period(store: Store) -> None:
    from storage.errors import StorageError

    with pytest.raises(StorageError, match="reason"):
        purge(store.engine, months=12, actor="dpo", reason="  ", now=NOW)
    with pytest.raises(StorageError, match="at least 1 month"):
        purge(store.engine, months=0, actor="dpo", reason="policy", now=NOW)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 8, tzinfo=UTC), 1, datetime(2026, 2, 28, 8, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
        (datetime(2026, 6, 1, tzinfo=UTC), 0, datetime(2026, 6, 1, tzinfo=UTC)),
    ],
)
def test_months_before_moves_back_calendar_months(
    moment: datetime, months: int, expected: datetime
) -> None:
    assert months_before(moment, months) == expected


def test_review_reminder_lists_what_is_held_past_its_review_date(populated: Store) -> None:
    engine = populated.engine
    with Session(engine) as session:
        session.add(ImportedFile(
            sha256="e" * 64, file_name="zone-5341.json", format="vigie", source_zone="5341",
            verified=True, tlp="amber", pseudonymised=False, exported_at=OLD, imported_at=OLD,
            imported_by="analyst", indicator_count=4,
        ))
        session.commit()
    AuditLog(engine).record(actor="inv-1", action="login", at=OLD)
    # The open alert was opened today: a "now" two years ahead puts it past review too.
    later = datetime.now(UTC) + timedelta(days=730)
    report = retention_report(engine, retention_months=12, review_months=6, now=later)
    held = {h.ad_id: h for h in report.held}
    assert set(held) == {"flagged", "partner", "reviewed", "alerted", "fresh_flagged"}
    assert any(r.startswith("reviewed: dismiss by inv-1") for r in held["reviewed"].reasons)
    assert any(r.startswith("open watchlist alert #") for r in held["alerted"].reasons)
    assert held["partner"].reasons == ("in a flagged network",)
    assert report.due == 2 + 1  # gone1, gone2 and fresh (no reason keeps them)
    assert [i.file_name for i in report.imports] == ["zone-5341.json"]
    assert report.audit_oldest == OLD
    # With NOW, the alert (opened today) is recent: only reasons older than 6 months are listed.
    now_report = retention_report(engine, retention_months=12, review_months=6, now=NOW)
    assert {h.ad_id for h in now_report.held} == {"flagged", "partner", "reviewed"}
    assert now_report.due == 2


def test_schema_of_an_empty_database_purges_nothing(tmp_path: Any) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'empty.db'}") as store:
        create_schema(store.engine)
        result = purge(store.engine, months=12, actor="dpo", reason="policy", now=NOW)
        assert (result.ads, result.total_rows) == (0, 0)
        assert AuditLog(store.engine).count(action="purge") == 1  # the summary, even of nothing
