"""End to end: `vigie demo` crawls both demo sites (the JavaScript one in real headless Chromium)
into a temporary SQLite database; the result is checked against the generator's ground truth.

The crawls run in subprocesses: Twisted's reactor cannot be restarted inside one pytest process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.repository import Store
from storage.runs import RunLog
from vigie.demo import DemoServer, generate

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SEED, N_STATIC, N_JS = 5, 24, 12


def vigie(*args: str, db: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VIGIE_DATABASE_URL": db, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "vigie.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    path = tmp_path_factory.mktemp("e2e") / "vigie.db"
    db = f"sqlite:///{path}"
    run = vigie(
        "demo", "--seed", str(SEED), "--static-ads", str(N_STATIC), "--js-ads", str(N_JS), db=db
    )
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    return db, run.stdout


def truth() -> dict[tuple[str, str], dict[str, object]]:
    corpus = generate(seed=SEED, n_static=N_STATIC, n_js=N_JS)
    rows = [json.loads(line) for line in corpus.ground_truth_lines()]
    return {(r["site"], r["ad_id"]): r for r in rows}


def test_every_ad_is_stored_exactly_once_with_its_phone_and_zone(demo_db: tuple[str, str]) -> None:
    db, _ = demo_db
    expected = truth()
    with Store.open(db) as store:
        stored = {(a.site, a.ad_id): a for a in store.list_ads(limit=10_000)}
        assert set(stored) == set(expected)
        for key, gt in expected.items():
            analysis = stored[key].analysis
            assert [p.e164 for p in analysis.phones] == gt["phones"], key
            assert analysis.zone == gt["zone"], key
    engine = create_engine(db)
    with engine.connect() as conn:
        dupes = conn.execute(
            text("SELECT site, ad_id, COUNT(*) FROM ad GROUP BY site, ad_id HAVING COUNT(*) > 1")
        ).all()
    engine.dispose()
    assert dupes == []


def test_js_ads_carry_their_click_revealed_phone(demo_db: tuple[str, str]) -> None:
    db, _ = demo_db
    with Store.open(db) as store:
        js = store.list_ads(site="demo-js", limit=1000)
    assert len(js) == N_JS
    assert all(ad.raw.contact_text.strip() for ad in js)
    assert all(ad.analysis.phones for ad in js)


def test_images_are_hashed_and_no_image_byte_is_on_disk(
    demo_db: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    db, _ = demo_db
    with Store.open(db) as store:
        images = [i for ad in store.list_ads(limit=10_000) for i in ad.analysis.images]
    assert images
    assert all(i.phash and i.dhash and i.error is None for i in images)
    folder = Path(db.removeprefix("sqlite:///")).parent
    magic = (b"\x89PNG", b"\xff\xd8\xff", b"RIFF", b"GIF8")
    for f in folder.rglob("*"):
        if f.is_file():
            assert not f.read_bytes()[:4].startswith(magic), f


def test_summary_names_flags_and_cross_zone_networks(demo_db: tuple[str, str]) -> None:
    _, stdout = demo_db
    assert "Flagged minor" in stdout
    assert "Flagged trafficking" in stdout
    assert "Networks spanning zones" in stdout
    assert "→" in stdout  # a movement between zones is shown


def test_recrawl_stores_nothing_twice(demo_db: tuple[str, str]) -> None:
    db, _ = demo_db
    with Store.open(db) as store:
        before = store.counts_by_site()
    corpus = generate(seed=SEED, n_static=N_STATIC, n_js=N_JS)
    with DemoServer(corpus) as server:
        run = vigie("crawl", "demo-static", "--base-url", server.base_url, db=db)
    assert run.returncode == 0, run.stderr[-3000:]
    with Store.open(db) as store:
        assert store.counts_by_site() == before
        versions = store.versions(site="demo-static", ad_id="S0001")
        (recorded,) = RunLog(store.engine).runs(site="demo-static")  # a manual crawl is a run
    assert len(versions) == 1
    assert (recorded.status, recorded.ads_new, recorded.ads_changed) == ("ok", 0, 0)
    assert recorded.ads_unchanged == before["demo-static"]
    assert recorded.stats["vigie/ads_scraped"] == before["demo-static"]
