"""crawlers.middlewares: Retry-After and back-off waits, redirect loops (no network, no reactor)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import MemoryStatsCollector

from crawlers.errors import ConfigError
from crawlers.middlewares.redirectloop import RedirectLoop, RedirectLoopMiddleware
from crawlers.middlewares.retryafter import (
    RetryAfterMiddleware,
    backoff_seconds,
    retry_after_seconds,
)
from crawlers.runner import crawl_settings

URL = "http://127.0.0.1:5555/static/ad/S0001"


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"3") == 3.0
    assert retry_after_seconds(" 0.5 ") == 0.5
    assert (
        retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now)
        == 90
    )
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0
    for unreadable in (None, b"", b"soon", b"nan"):
        assert retry_after_seconds(unreadable) is None
    assert retry_after_seconds(b"-4") == 0.0


def test_backoff_doubles_up_to_its_cap() -> None:
    waits = [backoff_seconds(n, base_s=0.5, max_s=3.0) for n in range(1, 6)]
    assert waits == [0.5, 1.0, 2.0, 3.0, 3.0]


class _Clock:
    """Records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def _middleware(monkeypatch: pytest.MonkeyPatch, **settings: Any) -> tuple[Any, _Clock]:
    crawler = Crawler(Spider, crawl_settings(database_url=None, settings_overrides=settings))
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.spider = Spider(name="s")
    crawler.spider.crawler = crawler
    clock = _Clock()
    monkeypatch.setattr("crawlers.middlewares.retryafter.sleep", clock.sleep)
    return RetryAfterMiddleware.from_crawler(crawler), clock


def _response(status: int, **headers: str) -> Response:
    return Response(URL, status=status, headers=headers, request=Request(URL))


def test_a_429_waits_its_retry_after_capped_then_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    mw, clock = _middleware(monkeypatch, VIGIE_RETRY_AFTER_MAX_S=10)
    request = Request(URL)
    first = asyncio.run(mw.process_response(request, _response(429, **{"Retry-After": "2"})))
    assert isinstance(first, Request)
    assert first.meta["retry_times"] == 1
    second = asyncio.run(mw.process_response(first, _response(503, **{"Retry-After": "3600"})))
    assert isinstance(second, Request)
    last = _response(429, **{"Retry-After": "1"})
    assert asyncio.run(mw.process_response(second, last)) is last  # RETRY_TIMES = 2
    assert clock.waits == [2.0, 10.0]
    stats = mw.crawler.stats.get_stats()
    assert stats["vigie/retry/429"] == 1
    assert stats["vigie/retry/503"] == 1
    assert stats["vigie/retry/retry_after"] == 2
    assert stats["vigie/retry/gave_up"] == 1
    assert stats["vigie/retry/wait_ms"] == 12_000


def test_a_retry_after_holds_the_whole_host_not_only_the_refused_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mw, clock = _middleware(monkeypatch, VIGIE_RETRY_AFTER_MAX_S=30)
    retried = asyncio.run(mw.process_response(Request(URL), _response(429, **{"Retry-After": "5"})))
    assert isinstance(retried, Request)
    assert clock.waits == [5.0]
    host = URL.split("/")[2]
    # another page of the same host, sent meanwhile, waits out the rest of those 5 s…
    assert asyncio.run(mw.process_request(Request(f"http://{host}/other-page"))) is None
    assert clock.waits[-1] == pytest.approx(5.0, abs=1.0)
    # …a page of another host does not wait
    asyncio.run(mw.process_request(Request("http://127.0.0.2:9/elsewhere")))
    assert len(clock.waits) == 2
    assert mw.crawler.stats.get_stats()["vigie/retry/held"] == 1


def test_5xx_and_dropped_connections_back_off_exponentially(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mw, clock = _middleware(monkeypatch, VIGIE_RETRY_BACKOFF_S=0.25, RETRY_TIMES=3)
    request = Request(URL)
    for _ in range(2):
        retried = asyncio.run(mw.process_response(request, _response(500, **{"Retry-After": "9"})))
        assert isinstance(retried, Request)
        request = retried
    retried = asyncio.run(mw.process_exception(request, ConnectionResetError()))
    assert isinstance(retried, Request)
    assert clock.waits == [0.25, 0.5, 1.0]  # a 500's Retry-After is not a throttle
    assert asyncio.run(mw.process_exception(request, ValueError("not retried"))) is None
    stats = mw.crawler.stats.get_stats()
    assert (stats["vigie/retry/500"], stats["vigie/retry/ConnectionResetError"]) == (2, 1)


def test_dont_retry_and_other_statuses_pass_through(monkeypatch: pytest.MonkeyPatch) -> None:
    mw, clock = _middleware(monkeypatch)
    ok = _response(200)
    assert asyncio.run(mw.process_response(Request(URL), ok)) is ok
    throttled = _response(429, **{"Retry-After": "1"})
    quiet = Request(URL, meta={"dont_retry": True})
    assert asyncio.run(mw.process_response(quiet, throttled)) is throttled
    assert clock.waits == []


def test_bad_retry_settings_fail_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"VIGIE_RETRY_BACKOFF_S: expected a number of seconds"):
        _middleware(monkeypatch, VIGIE_RETRY_BACKOFF_S="soon")


def test_a_redirect_back_into_its_own_chain_is_a_loop() -> None:
    mw = RedirectLoopMiddleware()
    start = Request(f"{URL}?fault=loop")
    to_b = Response(
        start.url, status=302, headers={"Location": "/static/ad/S0001?fault=loop&hop=1"}
    )
    assert mw.process_response(start, to_b) is to_b  # a first hop is no loop
    b = Request(f"{URL}?fault=loop&hop=1", meta={"redirect_urls": [start.url]})
    back = Response(b.url, status=301, headers={"Location": "S0001?fault=loop"})
    with pytest.raises(RedirectLoop, match="redirect loop"):
        mw.process_response(b, back)
    to_self = Response(URL, status=307, headers={"Location": URL})
    with pytest.raises(RedirectLoop):
        mw.process_response(Request(URL), to_self)
    onwards = Response(URL, status=302, headers={"Location": "/elsewhere"})
    assert mw.process_response(Request(URL, meta={"dont_redirect": True}), to_self) is to_self
    assert mw.process_response(Request(URL), onwards) is onwards
