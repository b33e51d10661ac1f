"""crawlers.distributed: workers sharing one Redis frontier, writing to one database; a crawl
killed with SIGKILL at random points and resumed from the frontier.

The crawls go to the loopback demo server only. Redis keys live under a prefix of each test's own
and are deleted at the end (never FLUSHDB).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from crawlers.distributed import check_redis, redis_settings
from crawlers.errors import CrawlerError
from crawlers.runner import main
from storage.repository import Store

REPO = Path(__file__).resolve().parents[2]
REDIS_ENV = "VIGIE_TEST_REDIS_URL"
POSTGRES_ENV = "VIGIE_TEST_POSTGRES_URL"
# Slow enough that the workers overlap: Scrapy's own per-site delay (command line beats the
# spec's `download_delay: 0`), not a slow server.
SLOW = ("--set", "DOWNLOAD_DELAY=0.1", "--set", "LOG_LEVEL=WARNING")
KILLS = 3  # kill -9 rounds before the run that completes (each costs a worker start-up)


def redis_url() -> str:
    url = os.environ.get(REDIS_ENV, "")
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set (e.g. redis://127.0.0.1:6379/15)")
    return url


@pytest.fixture
def frontier() -> Iterator[tuple[str, str]]:
    """(Redis URL, a key prefix of this test's own); the prefix's keys are deleted after."""
    url = redis_url()
    prefix = f"vigie-test-{uuid.uuid4().hex[:12]}"
    yield url, prefix
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def frontier_keys(url: str, prefix: str) -> list[bytes]:
    client = redis.Redis.from_url(url)
    try:
        return sorted(client.scan_iter(match=f"{prefix}:*"))
    finally:
        client.close()


def start_worker(
    *, site: str, base_url: str, db: str, redis_url: str, prefix: str, cwd: Path, ttl: float = 5
) -> subprocess.Popen[str]:
    """`python -m crawlers.runner` as one worker of the shared frontier."""
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "crawlers.runner", "--site", site, "--base-url", base_url),
            *("--db", db, "--redis", redis_url, "--redis-prefix", prefix),
            *("--redis-worker-ttl", str(ttl), *SLOW),
        ],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(cwd)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stats_of(proc: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    stats: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return stats


def stored(db: str, site: str) -> dict[str, int]:
    """{ad_id: version} of the site's stored ads, read with plain SQL."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT ad_id, version FROM ad WHERE site = :site"), {"site": site}
            ).all()
    finally:
        engine.dispose()
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids)), "an ad stored twice"
    return {row[0]: row[1] for row in rows}


# -- configuration and start-up errors (no server needed) --------------------------------------


def test_redis_settings_name_the_shared_scheduler_and_the_prefixed_keys() -> None:
    settings = redis_settings("redis://127.0.0.1:6379/3", prefix="zone5339", worker_ttl=12)
    assert settings["SCHEDULER"] == "crawlers.distributed.SharedFrontierScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["SCHEDULER_PERSIST"] is True
    assert settings["SCHEDULER_QUEUE_KEY"] % {"spider": "demo-static"} == (
        "zone5339:demo-static:requests"
    )
    assert settings["SCHEDULER_DUPEFILTER_KEY"] % {"spider": "x"} == "zone5339:x:dupefilter"
    assert settings["VIGIE_REDIS_WORKER_TTL"] == 12
    with pytest.raises(ValueError, match=r"prefix: .* got 'a\*'"):
        redis_settings("redis://h/0", prefix="a*")
    with pytest.raises(ValueError, match="TTL: .* got 0"):
        redis_settings("redis://h/0", worker_ttl=0)
    with pytest.raises(ValueError, match="TTL: expected 1 to 3600 seconds, got 0.0001"):
        redis_settings("redis://h/0", worker_ttl=0.0001)  # Redis would refuse a 0 ms expiry


def test_unreachable_redis_is_one_line_without_the_password() -> None:
    with pytest.raises(CrawlerError) as caught:
        check_redis("redis://:s3cret@127.0.0.1:1/2", timeout_s=2)
    message = str(caught.value)
    assert message.startswith("Redis at 127.0.0.1:1/2 is unreachable: ")
    assert "\n" not in message
    assert "s3cret" not in message


def test_runner_stops_before_crawling_when_redis_is_unreachable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "vigie.db"
    code = main(
        [
            *("--site", "demo-static", "--db", f"sqlite:///{db}"),
            *("--redis", "redis://127.0.0.1:1/0"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("error: Redis at 127.0.0.1:1/0 is unreachable: ")
    assert len(err.strip().splitlines()) == 1
    assert not db.exists()  # nothing opened, nothing fetched


def test_vigie_crawl_with_unreachable_redis_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from vigie.cli import app

    monkeypatch.setenv("VIGIE_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(
        app, ["crawl", "demo-static", "--redis", "redis://:pw@127.0.0.1:1/0"]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: Redis at 127.0.0.1:1/0 is unreachable: ")
    assert "pw" not in result.stderr
    assert not (tmp_path / "data").exists()  # no database created, nothing crawled


# -- two workers, one frontier, one PostgreSQL ---------------------------------------------------


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema with Vigie's tables."""
    from sqlalchemy.engine import make_url

    base = os.environ.get(POSTGRES_ENV, "")
    if not base:
        pytest.skip(
            f"{POSTGRES_ENV} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    schema = f"vigie_h5_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        Store.open(rendered).close()  # tables first: the workers must not race to create them
        yield rendered
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_two_workers_store_every_ad_exactly_once(
    frontier: tuple[str, str], postgres_db: str, tmp_path: Path
) -> None:
    from vigie.demo import generate
    from vigie.demo.faults import Fault
    from vigie.demo.server import DemoServer

    url, prefix = frontier
    corpus = generate(seed=5, n_static=16, n_js=1)
    expected = {ad.ad_id for ad in corpus.listing("demo-static")}
    # Each ad page answers after 1.5 s, so one worker alone needs seconds for the 16 pages: the
    # other worker, started at the same time, is up long before the frontier runs dry.
    slow = {f"/static/ad/{ad_id}": Fault("slow", times=1_000, delay_s=1.5) for ad_id in expected}
    with DemoServer(corpus, faults=slow) as server:
        workers = [
            start_worker(
                site="demo-static",
                base_url=server.base_url,
                db=postgres_db,
                redis_url=url,
                prefix=prefix,
                cwd=tmp_path,
            )
            for _ in range(2)
        ]
        results = [stats_of(w)["demo-static"] for w in workers]

    ads = stored(postgres_db, "demo-static")
    assert set(ads) == expected  # none missing, none extra
    assert set(ads.values()) == {1}  # one version each: never saved as a change
    # The shared dupe filter: each ad page fetched by one worker only, and both had work.
    scraped = [r.get("vigie/ads_scraped", 0) for r in results]
    assert sum(scraped) == len(expected), scraped
    assert all(n > 0 for n in scraped), (scraped, results)
    assert sum(r.get("vigie/ads_new", 0) for r in results) == len(expected)
    assert all(r["finish_reason"] == "finished" for r in results)
    assert frontier_keys(url, prefix) == []  # finished: the frontier is cleared for next time


# -- kill -9 and resume ----------------------------------------------------------------------------


def stored_count(db_path: Path, site: str) -> int:
    """How many ads are stored so far (read while a worker writes; waits out its locks)."""
    if not db_path.exists():
        return 0
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as conn:
        return int(conn.execute("SELECT count(*) FROM ad WHERE site = ?", (site,)).fetchone()[0])


def kill_after_progress(
    proc: subprocess.Popen[str], db_path: Path, *, more: int, pause: float
) -> bool:
    """SIGKILL `proc` once `more` further ads are stored, `pause` seconds later; False if the
    crawl finished first."""
    target = stored_count(db_path, "demo-static") + more
    deadline = time.monotonic() + 60
    while proc.poll() is None and stored_count(db_path, "demo-static") < target:
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.05)
    time.sleep(pause)
    if proc.poll() is not None:
        proc.communicate()
        return False
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    return True


@pytest.mark.slow
@pytest.mark.redis
def test_crawl_killed_at_random_points_resumes_to_every_ad_once(
    frontier: tuple[str, str], tmp_path: Path
) -> None:
    from vigie.demo import generate
    from vigie.demo.server import DemoServer

    url, prefix = frontier
    rng = random.Random(20261122)  # derandomised: the same kill points on every run
    corpus = generate(seed=9, n_static=16, n_js=1)
    expected = {ad.ad_id for ad in corpus.listing("demo-static")}
    db_path = tmp_path / "vigie.db"
    db = f"sqlite:///{db_path}"
    Store.open(db).close()
    killed = 0
    with DemoServer(corpus) as server:

        def worker() -> subprocess.Popen[str]:
            return start_worker(
                site="demo-static",
                base_url=server.base_url,
                db=db,
                redis_url=url,
                prefix=prefix,
                cwd=tmp_path,
                ttl=1.5,  # a killed worker's requests are taken over 1.5 s after it died
            )

        for _ in range(KILLS):
            more, pause = rng.randint(1, 4), rng.uniform(0.0, 0.4)
            killed += kill_after_progress(worker(), db_path, more=more, pause=pause)
        before = stored_count(db_path, "demo-static")
        final = stats_of(worker())["demo-static"]

    assert killed == KILLS, "every round must kill the crawl mid-way"
    assert 0 < before < len(expected)
    ads = stored(db, "demo-static")
    assert set(ads) == expected  # none missing, none extra, each stored once
    assert set(ads.values()) == {1}
    # Resumed, not restarted: the last run fetched only what the killed ones had not stored
    # (plus what was in flight when they died).
    assert final["vigie/ads_new"] == len(expected) - before
    assert final.get("vigie/ads_scraped", 0) < len(expected)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert frontier_keys(url, prefix) == []


# -- a worker's defences (real Redis, the scheduler without a running engine) ------------------


class _Undecodable:
    key = ""

    def _decode_request(self, data: bytes) -> Any:
        raise AttributeError("the spider has no callback 'parse_old' any more")


def _bare_scheduler(url: str, prefix: str) -> Any:
    """A SharedFrontierScheduler with only what next_request and the idle check use."""
    from scrapy import Spider
    from scrapy.statscollectors import MemoryStatsCollector

    from crawlers.distributed import SharedFrontierScheduler

    scheduler: Any = SharedFrontierScheduler.__new__(SharedFrontierScheduler)
    scheduler.server = redis.Redis.from_url(url)
    scheduler.prefix, scheduler.worker_id = prefix, "w1"
    scheduler.spider = Spider(name="demo-static")
    scheduler.stats = MemoryStatsCollector.__new__(MemoryStatsCollector)
    scheduler.stats._stats = {}
    scheduler._taken, scheduler._wake, scheduler._idle_errors = {}, None, 0
    return scheduler


@pytest.mark.redis
def test_a_request_that_cannot_be_decoded_is_set_aside_not_retried_forever(
    frontier: tuple[str, str],
) -> None:
    url, prefix = frontier
    scheduler = _bare_scheduler(url, prefix)
    scheduler.queue = _Undecodable()
    scheduler.queue.key = f"{prefix}:demo-static:requests"
    scheduler.server.lpush(scheduler.queue.key, b"queued by an older Vigie")
    assert scheduler.next_request() is None
    client = redis.Redis.from_url(url)
    try:
        assert client.lrange(f"{prefix}:demo-static:dead", 0, -1) == [b"queued by an older Vigie"]
        assert client.llen(f"{prefix}:demo-static:inflight:w1") == 0  # never handed out again
        assert client.llen(scheduler.queue.key) == 0
    finally:
        client.close()
        scheduler.server.close()
    assert scheduler.stats.get_value("vigie/redis/undecodable") == 1


def test_an_idle_check_that_cannot_reach_redis_keeps_the_worker_then_stops_it() -> None:
    from scrapy.exceptions import CloseSpider, DontCloseSpider

    import crawlers.distributed as distributed

    scheduler = _bare_scheduler("redis://127.0.0.1:1/0", "p")

    def unreachable() -> str:
        raise redis.ConnectionError("Connection refused")

    scheduler._settle = unreachable
    polls = int(distributed.REDIS_DOWN_S / distributed.IDLE_POLL_S)
    for _ in range(polls - 1):  # a blip: the worker stays (it must not pass for "finished")
        with pytest.raises(DontCloseSpider):
            scheduler._on_idle(scheduler.spider)
    with pytest.raises(CloseSpider) as stop:  # down for REDIS_DOWN_S: stop
        scheduler._on_idle(scheduler.spider)
    assert stop.value.reason == "redis_unavailable"
    assert scheduler.stats.get_value("vigie/redis/idle_error") == polls - 1  # the stays
