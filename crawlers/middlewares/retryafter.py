"""Retries that wait: `Retry-After` on 429/503, exponential back-off otherwise.

Replaces Scrapy's RetryMiddleware (same settings: RETRY_ENABLED, RETRY_TIMES, RETRY_HTTP_CODES,
RETRY_EXCEPTIONS, and the `dont_retry`/`max_retry_times` request meta). Before a retry it waits:

- a 429 or 503 with a `Retry-After` header (seconds or an HTTP date): that long, capped by
  `VIGIE_RETRY_AFTER_MAX_S`;
- any other retry: `VIGIE_RETRY_BACKOFF_S × 2^(n-1)` for the n-th retry, capped by
  `VIGIE_RETRY_BACKOFF_MAX_S`.

The wait is an asynchronous sleep: the reactor keeps serving other requests. A honoured
`Retry-After` holds the whole host, not only the refused request: every request to that host
that reaches the downloader before the time is up waits for it too (`vigie/retry/held`).

Stats: `vigie/retry/<status>` or `vigie/retry/<ExceptionName>` per retry,
`vigie/retry/retry_after` per honoured Retry-After, `vigie/retry/wait_ms` (milliseconds waited
in all) and `vigie/retry/gave_up` when the retries of a request ran out.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from crawlers.config import CrawlConfig

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | str | None, *, now: datetime | None = None) -> float | None:
    """A `Retry-After` header in seconds (≥ 0), or None when absent or unreadable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(seconds, 0.0)


def _host(request: Request) -> str:
    return str(request.meta.get("download_slot") or urlsplit(request.url).netloc)


def backoff_seconds(retry: int, *, base_s: float, max_s: float) -> float:
    """The wait before the `retry`-th retry (1, 2, …): base × 2^(retry-1), at most `max_s`."""
    return float(min(base_s * 2 ** max(retry - 1, 0), max_s))


class RetryAfterMiddleware:
    """Scrapy's retries, with a wait before each one (see the module)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        config = CrawlConfig.from_settings(settings)
        self.crawler = crawler
        self.codes = frozenset(int(x) for x in settings.getlist("RETRY_HTTP_CODES"))
        names = settings.getlist("RETRY_EXCEPTIONS")
        self.exceptions: tuple[type[BaseException], ...] = tuple(
            load_object(x) if isinstance(x, str) else x for x in names
        )
        self.retry_after_max_s = config.retry_after_max_s
        self.backoff_s = config.retry_backoff_s
        self.backoff_max_s = config.retry_backoff_max_s
        self._not_before: dict[str, float] = {}  # host → monotonic time its Retry-After ends

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        """Hold a request to a host that asked, with Retry-After, not to be called yet."""
        host = _host(request)
        wait = self._not_before.get(host, 0.0) - time.monotonic()
        if wait <= 0:
            self._not_before.pop(host, None)
            return
        self._count("retry/held")
        await sleep(min(wait, self.retry_after_max_s))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay: float | None = None
        if response.status in _RETRY_AFTER_STATUSES:
            delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is not None:
            self._count("retry/retry_after")
            delay = min(delay, self.retry_after_max_s)
            host = _host(request)
            until = time.monotonic() + delay
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)
        else:
            delay = self._backoff(retry)
        self._count(f"retry/{response.status}")
        page = retry.meta.pop("playwright_page", None)
        if page is not None:  # the retry opens a page of its own
            await page.close()
        await self._wait(delay, request, str(response.status))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        name = type(exception).__name__
        self._count(f"retry/{name}")
        await self._wait(self._backoff(retry), request, name)
        return retry

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        spider = self.crawler.spider
        if spider is None:
            return None
        retry = get_retry_request(request, spider=spider, reason=reason)
        if retry is None:
            self._count("retry/gave_up")
        return retry

    def _backoff(self, retry: Request) -> float:
        times = int(retry.meta.get("retry_times", 1))
        return backoff_seconds(times, base_s=self.backoff_s, max_s=self.backoff_max_s)

    async def _wait(self, seconds: float, request: Request, reason: str) -> None:
        if seconds <= 0:
            return
        logger.info(
            "%s: %s, retrying in %.1f s", request.url, reason, seconds, extra={"url": request.url}
        )
        stats = self.crawler.stats
        assert stats is not None  # noqa: S101 — set by the crawler before any request
        stats.inc_value("vigie/retry/wait_ms", round(seconds * 1000))
        await sleep(seconds)

    def _count(self, key: str) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"vigie/{key}")
