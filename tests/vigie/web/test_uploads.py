"""An image put on a watchlist is hashed off the event loop (other users' pages go on meanwhile)
and within a pixel budget; a malformed hash can never be stored, and one already in a database
leaves the dashboard and the search working."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session, select

from storage.repository import Store
from storage.tables import AdImage
from storage.watchlists import WatchRow, list_entries
from vigie.web.routes import watchlists

from .conftest import linked_ads

Client = tuple[TestClient, str]


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


def test_hashing_an_upload_leaves_other_requests_running(
    investigator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, token = investigator
    started, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}
    real = watchlists.hash_photo

    def slow_hash(data: bytes, **kwargs: Any) -> tuple[str, str, str]:
        started.set()
        outcome["released"] = release.wait(timeout=60)  # False: nothing else could run
        return real(data, **kwargs)

    monkeypatch.setattr(watchlists, "hash_photo", slow_hash)

    def upload() -> None:
        outcome["status"] = client.post(
            "/watchlists",
            data={"csrf_token": token, "kind": "image", "reason": "case 5"},
            files={"image": ("p.png", _png((32, 32)), "image/png")},
            follow_redirects=False,
        ).status_code

    uploader = threading.Thread(target=upload)
    uploader.start()
    assert started.wait(timeout=60)
    assert client.get("/queue").status_code == 200  # served while the image is being hashed
    release.set()
    uploader.join(timeout=60)
    assert outcome == {"released": True, "status": 303}


@pytest.mark.parametrize("mode", ["RGB", "I;16"])
def test_an_image_past_the_pixel_budget_is_refused_before_decoding(
    investigator: Client, store: Store, mode: str
) -> None:
    client, token = investigator
    big = _png((4100, 4100), mode)  # 16.8 megapixels, a few kilobytes compressed
    response = client.post(
        "/watchlists",
        data={"csrf_token": token, "kind": "image", "reason": "case 5"},
        files={"image": ("big.png", big, "image/png")},
    )
    assert response.status_code == 400
    assert list_entries(store.engine) == []


def test_a_16_bit_image_within_the_budget_is_hashed(investigator: Client, store: Store) -> None:
    client, token = investigator
    response = client.post(
        "/watchlists",
        data={"csrf_token": token, "kind": "image", "reason": "case 5"},
        files={"image": ("deep.png", _png((300, 200), "I;16"), "image/png")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [entry] = list_entries(store.engine)
    assert entry.value.startswith("phash=")  # its hashes, each matched with its own kind
    assert " whole=" in entry.value


def test_malformed_hashes_already_stored_do_not_break_the_pages(
    investigator: Client, store: Store
) -> None:
    with Session(store.engine) as session:
        session.add(WatchRow(kind="image", value="ZZ-not-hex", label="", created_by="old tool",
                             zone="5339", created_at=datetime.now(UTC)))
        for image in session.exec(select(AdImage)).all():
            image.phash = "g" * 16
            session.add(image)
        session.commit()
    client, token = investigator
    assert client.get("/dashboard").status_code == 200
    assert client.get("/watchlists").status_code == 200
    found = client.post("/search", data={"csrf_token": token, "kind": "image",
                                         "q": "0f0f0f0f0f0f0f0f", "reason": "case 6"})
    assert found.status_code == 200  # the dHash still matches; the bad pHash is skipped
    assert sorted(linked_ads(found.text)) == ["ad1", "ad2", "ad3"]
