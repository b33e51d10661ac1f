"""crawlers.runner: real crawls, each in a subprocess (Twisted's reactor runs once per process).

The crawls go to loopback servers only: the fixture site of conftest.py and the demo sites.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scrapy import signals
from scrapy.crawler import Crawler

from crawlers.pipelines import ad_stored
from crawlers.runner import _report_items, crawl_settings
from crawlers.sitespec import load_spec
from crawlers.spiders.generic import spider_for
from pipeline.images import hamming
from pipeline.types import RawAd
from storage.repository import Store

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], *, cwd: Path, tmpdir: Path, timeout: int = 120) -> tuple[int, str, str]:
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "crawlers.runner", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _stats(stdout: str) -> dict[str, dict[str, Any]]:
    return json.loads(stdout.strip().splitlines()[-1])


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_crawl_of_the_fixture_site(fixture_site: Any, tmp_path: Path) -> None:
    specs, out_dir, cwd, tmpdir = (tmp_path / d for d in ("specs", "out", "cwd", "tmp"))
    for d in (out_dir, cwd, tmpdir):
        d.mkdir()
    fixture_site.write_spec(specs)
    feed = out_dir / "items.jsonl"
    code, out, err = _run(
        [
            *("--site", "fixture", "--sites-dir", str(specs), "--base-url", fixture_site.base_url),
            *("--set", "LOG_LEVEL=WARNING"),
            *("--set", "FEEDS=" + json.dumps({str(feed): {"format": "jsonlines"}})),
        ],
        cwd=cwd,
        tmpdir=tmpdir,
    )
    assert code == 0, err
    stats = _stats(out)["fixture"]

    # Pagination, limits, refusals and errors, all counted.
    assert stats["vigie/pages/listing"] == 3
    assert stats["vigie/ads_scraped"] == 10
    assert stats["vigie/ads_skipped/no_id"] == 1
    assert stats["vigie/errors/http_404"] == 1
    assert stats["vigie/refused"] == 1
    assert not any(p.startswith("/static/private/") for p in fixture_site.requested)
    assert "/robots.txt" in fixture_site.requested
    # Images: downloaded once even when shared by two ads; refusals counted by reason.
    assert fixture_site.requested.count("/img/a.png") == 1
    assert stats["vigie/images_hashed"] == 3  # a.png in two ads, a-small.jpg in one
    assert stats["vigie/images_rejected/http_404"] == 1
    assert stats["vigie/images_rejected/too_big"] == 1
    assert stats["vigie/images_rejected/too_many_pixels"] == 1
    assert stats["vigie/images_rejected/format"] == 1

    # Nothing written but the feed we asked for: not in the working directory, not in TMPDIR,
    # and no image bytes in the feed either.
    assert _files(cwd) == set()
    assert _files(tmpdir) == set()
    assert _files(out_dir) == {"items.jsonl"}
    png = fixture_site.images["a.png"][0]
    assert png[200:264] not in feed.read_bytes()

    ads = {ad["ad_id"]: ad for ad in map(json.loads, feed.read_text("utf-8").splitlines())}
    assert sorted(ads) == sorted(fixture_site.ads)
    s1, s2, s3 = ads["S0001"], ads["S0002"], ads["S0003"]
    assert s1["contact_text"] == fixture_site.phone_text.format(n=1)
    assert s1["text"] == "Disponible en semaine.\nSur rendez-vous."
    assert s1["posted_at"] == "2026-10-01T12:00:00+00:00"
    assert s1["images"][1] == {
        "url": f"{fixture_site.base_url}/img/missing.png",
        "phash": None,
        "dhash": None,
        "error": "http_404",
        "dct": None,
    }
    assert s3["images"][0]["error"] == "too_many_pixels"
    same, resized = s2["images"]
    assert same["phash"] == s1["images"][0]["phash"]
    assert hamming(same["phash"], resized["phash"]) <= 8
    assert hamming(same["dhash"], resized["dhash"]) <= 8


@pytest.mark.slow
def test_bad_settings_fail_at_start_up_with_one_line(tmp_path: Path) -> None:
    code, out, err = _run(
        ["--site", "demo-static", "--db", "sqlite:///x.db", "--set", "VIGIE_REGION=XX"],
        cwd=tmp_path,
        tmpdir=tmp_path,
    )
    assert code == 2
    assert out == ""
    assert err.strip().splitlines()[-1] == (
        "error: VIGIE_REGION: expected a country code known to phonenumbers (e.g. BE), got 'XX'"
    )
    assert _files(tmp_path) == set()


@pytest.mark.slow
def test_a_crawl_that_cannot_open_its_database_fails_instead_of_finishing_empty(
    tmp_path: Path,
) -> None:
    """The store opens when the spider opens: if it cannot, the run is a failure (exit 2, one
    line saying why), never an "ok" run with no ads that the scheduler would record."""
    code, out, err = _run(
        [
            "--site",
            "demo-static",
            "--base-url",
            "http://127.0.0.1:9/",
            "--db",
            "postgresql+psycopg://nobody@127.0.0.1:1/vigie",
            "--set",
            "LOG_LEVEL=CRITICAL",
        ],
        cwd=tmp_path,
        tmpdir=tmp_path,
    )
    assert code == 2, (out, err)
    assert out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: crawl failed for: demo-static ("), last


_CRAWL_WITH_PROGRESS = """
import json, sys
from crawlers.runner import crawl
from crawlers.sitespec import load_spec
seen = []
stats = crawl(
    [load_spec("demo-static"), load_spec("demo-js")],
    database_url=sys.argv[1],
    base_url=sys.argv[2],
    settings_overrides={"LOG_LEVEL": "WARNING"},
    on_item=lambda site, outcome: seen.append([site, outcome]),
)
sys.stdout.write(json.dumps({"stats": stats, "seen": seen}, default=str) + "\\n")
"""


@pytest.mark.slow
@pytest.mark.browser
def test_both_demo_sites_in_one_run(tmp_path: Path) -> None:
    from vigie.demo import generate
    from vigie.demo.pages import api_phone
    from vigie.demo.server import DemoServer

    corpus = generate(seed=11, n_static=20, n_js=15)  # demo-js: two "load more" pages
    db = f"sqlite:///{tmp_path / 'vigie.db'}"
    with DemoServer(corpus) as server:
        proc = subprocess.run(
            [sys.executable, "-c", _CRAWL_WITH_PROGRESS, db, server.base_url],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    stats, seen = result["stats"], result["seen"]
    static_ads, js_ads = corpus.listing("demo-static"), corpus.listing("demo-js")
    assert stats["demo-static"]["vigie/ads_scraped"] == len(static_ads)
    assert stats["demo-js"]["vigie/ads_scraped"] == len(js_ads)  # every "load more" page
    assert "vigie/browser/wait_timeout" not in stats["demo-js"]
    assert not any(k.startswith("playwright/") for k in stats["demo-static"])
    assert sorted(map(tuple, seen)) == sorted(
        [("demo-static", "new")] * len(static_ads) + [("demo-js", "new")] * len(js_ads)
    )
    with Store.open(db) as store:
        for expected in js_ads:
            stored = store.get_ad(site="demo-js", ad_id=expected.ad_id)
            assert stored is not None
            assert stored.raw.title == expected.title
            # The number only appears after the "show number" click.
            assert stored.raw.contact_text == api_phone(expected)["phone"]
            assert len(stored.raw.images) == len(expected.images)
            assert all(i.phash for i in stored.raw.images)
        for expected in static_ads:
            stored = store.get_ad(site="demo-static", ad_id=expected.ad_id)
            assert stored is not None
            assert stored.raw.title == expected.title
            assert stored.raw.location_text == expected.location_text
            assert stored.raw.posted_at == expected.posted_at


def test_on_item_reports_each_ad_from_the_crawl_signals() -> None:
    ad = RawAd(site="demo-static", ad_id="S1", url="http://h/", title="t", text="x")
    seen: list[tuple[str, str]] = []
    settings = crawl_settings(database_url=None)
    stored = Crawler(spider_for(load_spec("demo-static")), settings)
    dry = Crawler(spider_for(load_spec("demo-static")), settings)
    keep = _report_items(stored, lambda *a: seen.append(a), stored=True)
    keep += _report_items(dry, lambda *a: seen.append(a), stored=False)
    stored.signals.send_catch_log(ad_stored, ad=ad, outcome="changed")
    stored.signals.send_catch_log(signals.item_scraped, item=ad, response=None, spider=None)
    stored.signals.send_catch_log(signals.item_dropped, item=ad, response=None, exception=None)
    dry.signals.send_catch_log(signals.item_scraped, item=ad, response=None, spider=None)
    assert seen == [
        ("demo-static", "changed"),
        ("demo-static", "dropped"),
        ("demo-static", "scraped"),
    ]
    assert len(keep) == 4
