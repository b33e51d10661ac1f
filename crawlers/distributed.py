"""Distributed crawling: crawler workers share one Redis frontier and one dupe filter.

    overrides = redis_settings("redis://queue-host:6379/0", prefix="vigie")
    crawl(specs, database_url=..., settings_overrides=overrides)   # on every worker machine

Built on scrapy-redis (its Redis connection, request serialisation, FIFO queue and
`RFPDupeFilter`), with what a crawl that may be killed at any moment needs on top:

- Enqueueing is atomic: the fingerprint enters the dupe filter and the request the queue in one
  Lua script, so a kill between the two cannot lose a request.
- Reliable dequeue: a worker moves a request from the queue to its own in-flight list with one
  `LMOVE`, and removes it only when Scrapy has finished with it (downloaded, callback run, its
  items through the pipelines, so stored, and its new requests enqueued). A worker killed with
  SIGKILL leaves its in-flight list behind; once its heartbeat key has expired
  (`VIGIE_REDIS_WORKER_TTL` seconds), another worker — or the same crawl started again — puts
  those requests back in the queue. Nothing is lost; an ad may be fetched twice, and the store's
  upsert on (site, ad_id) keeps it once.
- Stopping: a worker whose own engine is idle stays while the shared queue holds requests or
  another live worker has requests in flight (they may add more); it stops when the queue is empty
  and no worker has anything in flight. That worker then clears the frontier (queue and dupe
  filter), so the next crawl of the site starts afresh; a killed crawl keeps it, to resume.
- Idle polling: Scrapy's engine looks at an idle scheduler again only on its slot heartbeat
  (every 5 s), and nothing in this process wakes it when another worker enqueues requests. So an
  idle worker that stays asks its engine to look again after `IDLE_POLL_S` seconds;
  otherwise the worker that fetched the start page would fetch nearly every page of a short crawl
  while the others sleep.

Keys: `<prefix>:<site>:requests|dupefilter|workers`, `…:inflight:<worker>`, `…:alive:<worker>`.
Requests are pickled, so their callbacks must be spider methods and their meta picklable
(the generic spider's are; a Playwright page is attached only after the download).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import redis
from scrapy import Request, Spider, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy_redis.scheduler import Scheduler  # type: ignore[import-untyped]
from twisted.internet.task import LoopingCall

from crawlers.errors import CrawlerError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "vigie"
DEFAULT_WORKER_TTL = 30.0
IDLE_POLL_S = 0.25  # seconds between two looks at the shared queue of an idle worker
REDIS_DOWN_S = 60.0  # an idle worker that cannot reach Redis this long stops (not "finished")
REDIS_UNAVAILABLE = "redis_unavailable"  # its finish reason: the crawl failed

# KEYS: dupefilter, queue. ARGV: fingerprint, request. 1 if queued, 0 if already seen.
_ENQUEUE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0
"""

# KEYS: queue, workers set, dupefilter. ARGV: key base, this worker's id.
# Requeue the in-flight requests of workers whose heartbeat expired, then say whether the
# frontier is "pending" (queued requests), "busy" (another worker has requests in flight) or
# "done" (nothing anywhere: the frontier is cleared). Atomic: no worker can see a half state.
_IDLE = """
local base, me = ARGV[1], ARGV[2]
local recovered = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if w ~= me and redis.call('EXISTS', base .. ':alive:' .. w) == 0 then
    while redis.call('LMOVE', base .. ':inflight:' .. w, KEYS[1], 'RIGHT', 'LEFT') do
      recovered = recovered + 1
    end
    redis.call('SREM', KEYS[2], w)
  end
end
while redis.call('LMOVE', base .. ':inflight:' .. me, KEYS[1], 'RIGHT', 'LEFT') do
  recovered = recovered + 1
end
if redis.call('LLEN', KEYS[1]) > 0 then return {'pending', recovered} end
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('LLEN', base .. ':inflight:' .. w) > 0 then return {'busy', recovered} end
end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SREM', KEYS[2], me)
return {'done', recovered}
"""


def redis_settings(
    url: str, *, prefix: str = DEFAULT_PREFIX, worker_ttl: float = DEFAULT_WORKER_TTL
) -> dict[str, Any]:
    """The Scrapy settings that make a crawl one worker of the shared Redis frontier at `url`.

    `prefix` namespaces the keys (one Redis can serve several installations or tests)."""
    if not prefix or any(c in prefix for c in "*?[]"):
        raise ValueError(
            f"redis prefix: expected a non-empty key prefix without *?[], got {prefix!r}"
        )
    if not 1 <= worker_ttl <= 3600:  # the heartbeat beats every ttl/4 s
        raise ValueError(f"redis worker TTL: expected 1 to 3600 seconds, got {worker_ttl}")
    return {
        "SCHEDULER": "crawlers.distributed.SharedFrontierScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "SCHEDULER_PERSIST": True,  # a killed or stopped crawl keeps its frontier
        "REDIS_URL": url,
        "VIGIE_REDIS_PREFIX": prefix,
        "VIGIE_REDIS_WORKER_TTL": worker_ttl,
    }


def check_redis(url: str, *, timeout_s: float = 5.0) -> None:
    """Raise `CrawlerError` (one line, no password) unless the Redis at `url` answers a PING."""
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s
        )
    except ValueError as exc:
        raise CrawlerError(f"--redis: expected a URL such as redis://host:6379/0: {exc}") from None
    where = _shown(client)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise CrawlerError(f"Redis at {where} is unreachable: {exc}") from None
    finally:
        client.close()


def _shown(client: redis.Redis) -> str:
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


class SharedFrontierScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's scheduler with atomic enqueue, in-flight lists, heartbeats and the stop
    rule of the module docstring."""

    crawler: Crawler
    spider: Spider
    worker_id: str
    prefix: str
    ttl: float
    _taken: dict[int, tuple[Request, bytes]]
    _beat: LoopingCall | None
    _wake: Callable[[float], None] | None
    _idle_errors: int  # idle checks failed in a row

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler: Self = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker_id = uuid.uuid4().hex[:12]
        scheduler.prefix = crawler.settings.get("VIGIE_REDIS_PREFIX") or DEFAULT_PREFIX
        scheduler.ttl = crawler.settings.getfloat("VIGIE_REDIS_WORKER_TTL", DEFAULT_WORKER_TTL)
        scheduler._taken = {}
        scheduler._beat = None
        scheduler._wake = None
        scheduler._idle_errors = 0
        crawler.signals.connect(scheduler._on_idle, signal=signals.spider_idle)
        return scheduler

    # -- keys -----------------------------------------------------------------------------

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, self.spider.name, *parts))

    # -- life cycle -----------------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self._enqueue_script = self.server.register_script(_ENQUEUE)
        self._idle_script = self.server.register_script(_IDLE)
        self._settle()  # take over the requests of workers that died, before crawling
        self._heartbeat()
        self._beat = LoopingCall(self._heartbeat)
        self._beat.start(self.ttl / 4, now=False)
        self._watch_finished_requests()
        logger.info(
            "worker %s joined the shared frontier %s (%d queued)",
            self.worker_id,
            self._key(),
            len(self.queue),
            extra={"site": spider.name},
        )

    def close(self, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        if reason == "finished":
            self.server.srem(self._key("workers"), self.worker_id)
            self.server.delete(self._key("alive", self.worker_id))
        # Otherwise (shutdown, killed…) the in-flight list stays; the heartbeat expires and
        # another worker or the next run puts the requests back in the queue.
        super().close(reason)

    def _heartbeat(self) -> None:
        try:
            pipe = self.server.pipeline()
            pipe.sadd(self._key("workers"), self.worker_id)
            pipe.set(self._key("alive", self.worker_id), 1, px=int(self.ttl * 1000))
            pipe.execute()
        except redis.RedisError as exc:
            logger.warning("redis heartbeat failed: %s", exc, extra={"site": self.spider.name})

    def _watch_finished_requests(self) -> None:
        """Acknowledge each request when the engine removes it from its in-progress set, which
        happens after its response went through the callback and the item pipelines; keep the
        engine's `nextcall.schedule` to wake it up while idle (see `_on_idle`)."""
        slot: Any = getattr(self.crawler.engine, "_slot", None)
        remove = getattr(slot, "remove_request", None)
        wake = getattr(getattr(slot, "nextcall", None), "schedule", None)
        if slot is None or remove is None or wake is None:  # another engine: fail, lose nothing
            raise CrawlerError(
                "this Scrapy's engine has no _slot.remove_request / _slot.nextcall to hook"
            )
        self._wake = wake

        def remove_request(request: Request) -> None:
            self._acknowledge(request)
            remove(request)

        slot.remove_request = remove_request

    # -- the scheduler interface ------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        if request.dont_filter:
            self.queue.push(request)
        else:
            fingerprint = self.df.request_fingerprint(request)
            data = self.queue._encode_request(request)
            if not self._enqueue_script(
                keys=[self.df.key, self.queue.key], args=[fingerprint, data]
            ):
                self.df.log(request, self.spider)
                return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        inflight = self._key("inflight", self.worker_id)
        data = self.server.lmove(self.queue.key, inflight, "RIGHT", "LEFT")
        if data is None:
            return None
        try:
            request: Request = self.queue._decode_request(data)
        except Exception:  # e.g. a callback renamed since it was queued: set it aside, once
            logger.exception("redis: a queued request cannot be decoded; moved to :dead")
            self.server.lrem(inflight, 1, data)
            self.server.rpush(self._key("dead"), data)
            self.stats.inc_value("vigie/redis/undecodable")
            return None
        self._taken[id(request)] = (request, data)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0

    def _acknowledge(self, request: Request) -> None:
        taken = self._taken.pop(id(request), None)
        if taken is None or taken[0] is not request:
            return  # not one of ours (robots.txt, images: fetched outside the scheduler)
        try:
            self.server.lrem(self._key("inflight", self.worker_id), 1, taken[1])
        except redis.RedisError as exc:  # it stays in flight: fetched again, stored once
            logger.warning("redis: could not acknowledge %s: %s", request.url, exc)

    # -- when to stop -----------------------------------------------------------------------

    def _on_idle(self, spider: Spider) -> None:
        """Keep this idle worker while the shared frontier may still grow (see the module)."""
        try:
            state = self._settle()
        except redis.RedisError as exc:  # never "finished" on a blip: look again soon
            logger.warning("redis: idle check failed: %s", exc, extra={"site": spider.name})
            self._idle_errors += 1
            if self._idle_errors * IDLE_POLL_S >= REDIS_DOWN_S:
                raise CloseSpider(REDIS_UNAVAILABLE) from exc
            state = "error"
        else:
            self._idle_errors = 0
        if state != "done":
            self.stats.inc_value(f"vigie/redis/idle_{state}")
            # Look again soon: the engine alone would wait for its 5-second heartbeat, and the
            # other workers may meanwhile enqueue (and take) every request there is.
            if self._wake is not None:
                self._wake(IDLE_POLL_S)
            raise DontCloseSpider
        logger.info("shared frontier finished; cleared", extra={"site": spider.name})

    def _settle(self) -> str:
        """Requeue dead workers' requests; "pending", "busy" or "done" (see `_IDLE`)."""
        state, recovered = self._idle_script(
            keys=[self.queue.key, self._key("workers"), self.df.key],
            args=[self._key(), self.worker_id],
        )
        if recovered:
            self.stats.inc_value("vigie/redis/requeued", int(recovered))
            logger.warning(
                "requeued %d requests left in flight by stopped workers",
                recovered,
                extra={"site": self.spider.name},
            )
        return state.decode() if isinstance(state, bytes) else str(state)
