"""What a finished crawl of one site amounts to: `ok`, `empty` or `failed`, with a one-line reason.

A crawl that "finished" in Scrapy's sense may still have reached nothing: the site was down, its
start page answered 404, it redirected to an age gate, its listing selectors matched nothing or
every ad page was refused. `classify(stats)` reads the spider's counters (see
`crawlers.spiders.generic`) and says so, so that `vigie crawl`, `python -m crawlers.runner` and
the scheduler exit non-zero and record the reason instead of passing such a crawl for a success.

    failed  nothing could be read: no listing page answered (unreachable, not 2xx, refused), the
            start page led to a gate, or every ad page failed
    empty   the site answered but gave no ad: listing selectors matched nothing, or no ad page
            had an ad id
    ok      at least one ad was read

A worker of a distributed crawl (Redis frontier) sees only its share of the pages: one that read
no listing page is not a failure by itself, so its outcome is `ok` unless its own ad pages failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OK, EMPTY, FAILED = "ok", "empty", "failed"

# Stats keys (under `vigie/`) written by the spider for the classification.
LISTING_FAILED = "failed/listing/"  # + failure kind, e.g. failed/listing/errors/http_404
AD_FAILED = "failed/ad/"
AD_LINKS = "links/ads"  # ad links found on listing pages (before de-duplication and caps)
GATE_URL = "gate_url"  # where a listing page without ads was redirected to (a string)
OUTCOME = "vigie/outcome"
REASON = "vigie/outcome_reason"

# Browser steps that did not do what the spec asked (counted under `vigie/browser/`).
STEP_FAILURES = ("click_failed", "click_target_missing", "wait_timeout")


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    reason: str | None = None


def _count(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(f"vigie/{key}", 0)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _kinds(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """{failure kind: count} of the failed requests counted under `vigie/<prefix>`."""
    full = f"vigie/{prefix}"
    return {
        key.removeprefix(full): int(value)
        for key, value in stats.items()
        if key.startswith(full) and isinstance(value, int) and value
    }


def describe(kinds: Mapping[str, int]) -> str:
    """ "HTTP 404 ×2, connection refused" — the failure kinds in words, most frequent first."""
    words = []
    for kind, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        name = kind.removeprefix("errors/")
        if name.startswith("http_"):
            name = f"HTTP {name.removeprefix('http_')}"
        else:
            name = _NAMES.get(name, name)
        words.append(f"{name} ×{count}" if count > 1 else name)
    return ", ".join(words)


_NAMES = {
    "ConnectionRefusedError": "connection refused",
    "DownloadConnectionRefusedError": "connection refused",
    "DownloadFailedError": "download failed",
    "CannotResolveHostError": "host name not found",
    "DNSLookupError": "host name not found",
    "ConnectError": "could not connect",
    "TCPTimedOutError": "connection timed out",
    "timeout/download": "timed out",
    "timeout/render": "page never finished loading",
    "refused": "refused (robots.txt or off-site)",
    "redirect_loop": "redirect loop",
    "capped/redirects": "too many redirects",
    "capped/size": "page over max_page_bytes",
    "truncated": "connection dropped mid-page",
    "not_html": "not an HTML page",
    "browser": "browser error",
    "net::ERR_CONNECTION_REFUSED": "connection refused",
    "net::ERR_NAME_NOT_RESOLVED": "host name not found",
    "net::ERR_CONNECTION_TIMED_OUT": "connection timed out",
    "net::ERR_TOO_MANY_REDIRECTS": "too many redirects",
}


def classify(stats: Mapping[str, Any], *, distributed: bool = False) -> Outcome:
    """The outcome of one site's crawl from its Scrapy stats (see the module's docstring)."""
    listings = _count(stats, "pages/listing")
    ad_pages = _count(stats, "pages/ad")
    ads = _count(stats, "ads_scraped")
    listing_failures = _kinds(stats, LISTING_FAILED)
    ad_failures = _kinds(stats, AD_FAILED)
    if ads:
        return Outcome(OK)
    if ad_failures and not ad_pages:
        n = sum(ad_failures.values())
        return Outcome(FAILED, f"every ad page failed ({n}: {describe(ad_failures)})")
    if distributed:
        return Outcome(OK)
    if not listings:
        if listing_failures:
            return Outcome(FAILED, f"no listing page could be read ({describe(listing_failures)})")
        return Outcome(FAILED, "no listing page was read")
    gate = stats.get(f"vigie/{GATE_URL}")
    if not _count(stats, AD_LINKS):
        if isinstance(gate, str) and gate:
            return Outcome(
                FAILED, f"redirected to {gate}, where no ad is listed (an age or consent gate?)"
            )
        return Outcome(
            EMPTY,
            f"the listing's ad_links selector matched nothing on {listings} listing page(s)",
        )
    if ad_pages:
        skipped = _count(stats, "ads_skipped/no_id")
        return Outcome(EMPTY, f"no ad read from {ad_pages} ad page(s) ({skipped} without an ad id)")
    return Outcome(EMPTY, "no ad page was fetched (limits reached?)")


def step_failures(stats: Mapping[str, Any]) -> dict[str, int]:
    """{browser step failure: count} — clicks that failed, targets missing, waits timed out."""
    return {name: n for name in STEP_FAILURES if (n := _count(stats, f"browser/{name}"))}
