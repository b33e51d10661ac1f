"""The dashboard's counts, kept by the app while counting is slow (issue #18.1).

Counting every stored ad by zone, site and day is one grouped pass over a narrow index: a few
milliseconds on a zone's database, but about 1.7 s per million ads on a shared PostgreSQL. While
a count costs less than `slow_s`, every page load counts afresh (small databases stay exact).
Once it costs more, the app keeps the last counts and serves them for `max_age_s`; a load after
that still gets them at once, while one background thread counts again (never two at a time),
and the page says when the counts were taken.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Counted(Generic[T]):
    value: T
    taken_at: datetime  # when the count was taken (UTC)
    cached: bool  # served from the app's memory rather than counted for this request


class CountCache(Generic[T]):
    def __init__(
        self,
        compute: Callable[[], T],
        *,
        max_age_s: float = 60.0,
        slow_s: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._compute = compute
        self._max_age_s = max_age_s
        self._slow_s = slow_s
        self._clock = clock
        self._lock = threading.Lock()
        self._counting = threading.Lock()  # one count at a time, foreground or background
        self._last: Counted[T] | None = None
        self._last_at = 0.0  # clock() when the last count was taken
        self._last_cost = 0.0
        self._refresh: threading.Thread | None = None

    def get(self) -> Counted[T]:
        with self._lock:
            last, age, cost = self._last, self._clock() - self._last_at, self._last_cost
            if last is not None and cost >= self._slow_s:
                if age >= self._max_age_s and self._refresh is None:
                    self._refresh = threading.Thread(
                        target=self._refresh_in_background, name="vigie-counts", daemon=True
                    )
                    self._refresh.start()
                return Counted(last.value, last.taken_at, cached=True)
        return self._count()

    def wait_for_refresh(self, timeout: float | None = None) -> None:
        """Wait until a background count started by `get` has finished (for tests, shutdown)."""
        with self._lock:
            thread = self._refresh
        if thread is not None:
            thread.join(timeout)

    def _count(self) -> Counted[T]:
        with self._counting:
            started = self._clock()
            value = self._compute()
            cost = self._clock() - started
            counted = Counted(value, datetime.now(UTC), cached=False)
            with self._lock:
                self._last, self._last_at, self._last_cost = counted, started, cost
            if cost >= self._slow_s:
                log.info("dashboard counts took %.2f s: kept for %.0f s", cost, self._max_age_s)
            return counted

    def _refresh_in_background(self) -> None:
        try:
            self._count()
        except Exception:  # the stale counts stay served; the next load tries again
            log.exception("background recount of the dashboard failed")
        finally:
            with self._lock:
                self._refresh = None
