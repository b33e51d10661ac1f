from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.audit import AuditLog
from storage.repository import Store


def test_entries_are_recorded_and_filtered_newest_first(store_url: str) -> None:
    with Store.open(store_url) as store:
        log = AuditLog(store.engine)
        t0 = datetime(2026, 11, 1, tzinfo=UTC)
        log.record(actor="ana", zone="5339", action="login", at=t0)
        log.record(
            actor="ana",
            zone="5339",
            action="search",
            object_id="+32470123456",
            reason="PV 2026/123",
            at=t0 + timedelta(hours=1),
        )
        log.record(
            actor="bert",
            zone="5344",
            action="export",
            reason="case 9",
            details={"format": "stix", "indicators": 12},
            at=t0 + timedelta(hours=2),
        )
        assert [e.action for e in log.entries()] == ["export", "search", "login"]
        (search,) = log.entries(actor="ana", action="search")
        assert (search.reason, search.object_id, search.zone) == (
            "PV 2026/123",
            "+32470123456",
            "5339",
        )
        (export,) = log.entries(since=t0 + timedelta(minutes=90))
        assert export.details == {"format": "stix", "indicators": 12}
        assert log.count() == 3
        assert log.count(action="login") == 1


def test_unknown_actions_and_anonymous_entries_are_refused(store_url: str) -> None:
    with Store.open(store_url) as store:
        log = AuditLog(store.engine)
        with pytest.raises(ValueError, match="unknown audit action 'delete_everything'"):
            log.record(actor="x", action="delete_everything")
        with pytest.raises(ValueError, match="needs an actor"):
            log.record(actor="", action="login")
        assert log.count() == 0


def test_the_log_offers_no_way_to_change_an_entry() -> None:
    public = {name for name in dir(AuditLog) if not name.startswith("_")}
    assert public == {"record", "entries", "iter_entries", "count"}
