"""The dashboard's counts: exact while counting is cheap, kept and refreshed in the background
once counting is slow (issue #18.1). A fake clock stands for the cost; threads are awaited on
events, never on sleeps."""

from __future__ import annotations

import threading

from vigie.web.countcache import CountCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cheap_counts_are_counted_afresh_on_every_load() -> None:
    calls: list[int] = []
    cache = CountCache(lambda: calls.append(1) or len(calls), slow_s=0.2, clock=Clock())
    assert [cache.get().value for _ in range(3)] == [1, 2, 3]
    assert not cache.get().cached


def test_slow_counts_are_kept_then_refreshed_in_the_background_once() -> None:
    clock = Clock()
    release = threading.Event()
    started = threading.Event()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        if len(calls) > 1:  # the background recount: block until the test lets it finish
            started.set()
            assert release.wait(60)
        clock.now += 5.0  # counting "takes" 5 s
        return len(calls)

    cache = CountCache(compute, max_age_s=60.0, slow_s=0.2, clock=clock)
    first = cache.get()
    assert (first.value, first.cached) == (1, False)
    clock.now += 10  # fresh enough: served from memory, no recount
    assert (cache.get().value, cache.get().cached, len(calls)) == (1, True, 1)

    clock.now += 60  # stale: still served at once, one recount starts behind it
    stale = cache.get()
    assert (stale.value, stale.cached) == (1, True)
    assert started.wait(60)
    assert cache.get().value == 1  # loads during the recount: no second one
    assert len(calls) == 2
    release.set()
    cache.wait_for_refresh(60)
    assert cache.get().value == 2
    assert cache.get().taken_at >= first.taken_at


def test_a_failed_background_recount_keeps_the_last_counts() -> None:
    clock = Clock()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        clock.now += 1.0
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return len(calls)

    cache = CountCache(compute, max_age_s=5.0, slow_s=0.2, clock=clock)
    assert cache.get().value == 1
    clock.now += 10
    assert cache.get().value == 1  # stale, recount starts and fails
    cache.wait_for_refresh(60)
    assert cache.get().value == 1  # still served; the next stale load tries again
    cache.wait_for_refresh(60)
    assert cache.get().value == 3
