from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline.types import Alias, Analysis, ImageRef, PhoneMatch, RawAd, Span
from storage.errors import StorageError
from storage.repository import Store
from storage.watchlists import (
    add_entry,
    close_alert,
    deactivate_entry,
    list_alerts,
    list_entries,
    scan_alerts,
)

PHASH = "8f8f8f8f70707070"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """One stored ad, on SQLite and on PostgreSQL (the conftest's `store_url`)."""
    store = Store.open(store_url)
    raw = RawAd(site="s", ad_id="a1", url="http://127.0.0.1/a1", title="Mia", text="Mia 0470")
    image = ImageRef("http://127.0.0.1/1.png", PHASH, "0000000000000000")
    store.save(
        raw,
        Analysis(
            site="s",
            ad_id="a1",
            phones=(PhoneMatch("+32470000001", "BE", False, (Span("text", 4, 8, "0470"),)),),
            aliases=(Alias("Mia", (Span("text", 0, 3, "Mia"),)),),
            images=(image,),
        ),
    )
    yield store
    store.close()


def _add(store: Store, kind: str, value: str) -> int:
    entry = add_entry(
        store.engine, kind=kind, value=value, label="l", created_by="ana", zone="5339"
    )
    return entry.id


def test_each_kind_matches_and_alerts_once(store: Store) -> None:
    _add(store, "phone", "+32470000001")
    _add(store, "alias", "mia")
    _add(store, "image", f"{int(PHASH, 16) ^ 0b1011:016x}")  # 3 bits away
    _add(store, "image", f"{int(PHASH, 16) ^ 0xFFFF:016x}")  # 16 bits away: another photo
    _add(store, "phone", "+32470000002")
    assert scan_alerts(store.engine) == 3
    assert scan_alerts(store.engine) == 0  # already alerted
    alerts = list_alerts(store.engine)
    assert sorted(a.entry.kind for a in alerts) == ["alias", "image", "phone"]
    assert {(a.site, a.ad_id) for a in alerts} == {("s", "a1")}


def test_closing_and_deactivating(store: Store) -> None:
    entry_id = _add(store, "phone", "+32470000001")
    scan_alerts(store.engine)
    [alert] = list_alerts(store.engine)
    close_alert(store.engine, alert_id=alert.id)
    assert list_alerts(store.engine) == []
    assert len(list_alerts(store.engine, open_only=False)) == 1
    assert scan_alerts(store.engine) == 0  # a closed alert is not raised again
    deactivate_entry(store.engine, entry_id=entry_id)
    assert list_entries(store.engine) == []
    assert not list_entries(store.engine, active_only=False)[0].active
    with pytest.raises(StorageError):
        close_alert(store.engine, alert_id=999)


def test_bad_entries_are_refused(store: Store) -> None:
    with pytest.raises(StorageError, match="unknown watchlist kind"):
        _add(store, "email", "x@example.org")
    with pytest.raises(StorageError, match="needs a value"):
        _add(store, "phone", "")
