from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from pipeline.types import Alias, Analysis, ImageRef, PhoneMatch, RawAd, Span
from storage.errors import StorageError
from storage.repository import Store
from storage.tables import AdImage
from storage.users import OtherZone
from storage.watchlists import (
    InvalidEntry,
    WatchRow,
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
    with pytest.raises(StorageError, match="E.164"):
        _add(store, "phone", "")
    for malformed in ("", "zz", "8F8F8F8F70707070", "8f8f8f8f7070707", "8f8f8f8f707070700",
                      "8f8f8f8f7070707g", " 8f8f8f8f707070", "0x8f8f8f8f707070"):
        with pytest.raises(InvalidEntry, match="16 lowercase hex digits"):
            _add(store, "image", malformed)
    with pytest.raises(InvalidEntry):
        _add(store, "phone", "0470 00 00 01")  # not normalised
    with pytest.raises(InvalidEntry):
        _add(store, "alias", "   ")
    assert list_entries(store.engine, active_only=False) == []


def test_a_malformed_hash_already_stored_is_skipped_not_fatal(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Rows written before hashes were checked (or by another tool): a bad watch value or a bad
    ad image hash matches nothing, is logged, and the other entries still alert."""
    good = _add(store, "phone", "+32470000001")
    with Session(store.engine) as session:
        session.add(WatchRow(kind="image", value="not-a-hash!!", label="", created_by="x",
                             zone="5339", created_at=datetime.now(UTC)))
        image = session.exec(select(AdImage)).first()
        assert image is not None
        image.phash = "zzzzzzzzzzzzzzzz"
        session.add(image)
        session.commit()
    _add(store, "image", "dhash=0000000000000001")  # matches the dHash, past the bad pHash
    with caplog.at_level(logging.WARNING, logger="storage.watchlists"):
        assert scan_alerts(store.engine) == 2
    assert {a.entry.id for a in list_alerts(store.engine)} >= {good}
    assert "malformed image hash" in caplog.text


def test_a_hash_is_only_compared_with_stored_hashes_of_its_own_kind(store: Store) -> None:
    """Issue 16.5: an uploaded picture's pHash was also compared with every stored dHash (one
    plain picture raised 33 alerts). A bare hash is a pHash; `dhash=` names a dHash."""
    plain_phash = "0000000000000003"  # 2 bits from the stored dHash, far from its pHash
    entry = _add(store, "image", plain_phash)
    assert scan_alerts(store.engine) == 0
    deactivate_entry(store.engine, entry_id=entry)
    _add(store, "image", f"dhash={plain_phash}")
    _add(store, "image", f"phash={PHASH} dhash=ffffffffffffffff")
    assert scan_alerts(store.engine) == 2


def test_an_uploaded_photo_matches_its_mirrored_copy(store_url: str) -> None:
    """An entry made from a picture carries its DCT region hashes: a mirrored, cropped copy of
    that picture in an ad alerts, another picture does not."""
    import io

    from PIL import ImageOps

    from pipeline.images import hash_photo
    from pipeline.photomatch import Photo, encode_photo
    from vigie.demo.images import base_image

    def hashed(im: object) -> tuple[str, str, str]:
        out = io.BytesIO()
        im.save(out, format="PNG")  # type: ignore[attr-defined]
        return hash_photo(out.getvalue())

    original = base_image(21)
    copy = ImageOps.mirror(original.crop((0, 0, 290, 220)))
    store = Store.open(store_url)
    try:
        for ad_id, im in (("copy", copy), ("other", base_image(22))):
            phash, dhash, dct = hashed(im)
            raw = RawAd(site="s", ad_id=ad_id, url=f"http://127.0.0.1/{ad_id}", title="t",
                        text="t", images=(ImageRef(f"http://127.0.0.1/{ad_id}.png", phash,
                                                    dhash, dct=dct),))
            store.save(raw, Analysis(site="s", ad_id=ad_id, images=raw.images))
        _add(store, "image", encode_photo(Photo.of(*hashed(original))))
        assert scan_alerts(store.engine) == 1
        assert [(a.site, a.ad_id) for a in list_alerts(store.engine)] == [("s", "copy")]
    finally:
        store.close()


def test_entries_and_alerts_belong_to_their_zone(store: Store) -> None:
    entry_id = _add(store, "phone", "+32470000001")  # zone 5339
    scan_alerts(store.engine)
    [alert] = list_alerts(store.engine)
    with pytest.raises(OtherZone, match="zone 5339"):
        close_alert(store.engine, alert_id=alert.id, for_zone="5340")
    with pytest.raises(OtherZone):
        deactivate_entry(store.engine, entry_id=entry_id, for_zone="5340")
    assert len(list_alerts(store.engine)) == 1
    assert len(list_entries(store.engine)) == 1
    close_alert(store.engine, alert_id=alert.id, for_zone="5339")
    deactivate_entry(store.engine, entry_id=entry_id, for_zone=None)  # an administrator
    assert list_alerts(store.engine) == list_entries(store.engine) == []
