"""Hostile behaviour for the demo server: the faults a real ad site throws at a crawler.

A fault wraps the normal reply of any path. It is switched on per request with `?fault=KIND`
(options in the query too: `times`, `delay`, `status`, `size`) or per path by the server's
`faults={path: Fault(...)}` option. Everything is deterministic: counts of hits decide when a
fault stops, and the garbage of a malformed page comes from a seeded generator.

| kind        | what the client gets                                                          |
|-------------|-------------------------------------------------------------------------------|
| `slow`      | the normal reply after `delay` seconds                                        |
| `throttle`  | the first `times` hits: `status` (429, or 503) with `Retry-After: delay`      |
| `burst`     | the first `times` hits: `status` (500 by default), no Retry-After             |
| `truncate`  | the headers announce the whole body, half of it is sent, the connection drops |
| `loop`      | a redirect to the same URL with `hop=1`, which redirects back: A → B → A      |
| `huge`      | the normal page padded to `size` bytes (8 MB by default)                      |
| `malformed` | the normal page with invalid UTF-8 bytes and closing tags dropped             |
| `hang`      | nothing at all: the connection stays open `delay` seconds (30 by default)     |
| `neverload` | the normal page, plus a script whose request hangs: the load never finishes   |

The hostile listing `/hostile/ads?page=N` (an endless pagination trap: every page links to the
next) lists `good` plain demo-static ads, then one demo-static ad per fault (`only=a,b` picks them).
Every faulted request is logged in `FaultBook.hits` with the time it arrived.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from html import escape
from urllib.parse import urlencode

KINDS = (
    "slow",
    "throttle",
    "burst",
    "truncate",
    "loop",
    "huge",
    "malformed",
    "hang",
    "neverload",
)
STATIC_KINDS = KINDS[:-1]  # what a plain HTTP crawler meets; "neverload" is for the browser
_DEFAULTS = {"slow": 0.5, "throttle": 1.0, "hang": 30.0, "neverload": 30.0}
_STATUS = {"throttle": 429, "burst": 500}


MAX_SIZE = 64_000_000
MAX_DELAY_S = 300.0
MAX_TIMES = 1_000_000


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault: its kind and options (see the module's table)."""

    kind: str
    times: int = 2
    delay_s: float | None = None
    status: int | None = None
    size: int = 8_000_000

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fault: expected one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.times < 0 or self.size < 0 or (self.delay_s or 0) < 0:
            raise ValueError("fault: times, delay and size must not be negative")
        # a query string must not make the demo server allocate or sleep without bound
        if self.size > MAX_SIZE or self.times > MAX_TIMES:
            raise ValueError(f"fault: size at most {MAX_SIZE} bytes, times at most {MAX_TIMES}")
        if self.delay_s is not None and not 0 <= self.delay_s <= MAX_DELAY_S:
            raise ValueError(f"fault: delay from 0 to {MAX_DELAY_S} s")

    @property
    def delay(self) -> float:
        return self.delay_s if self.delay_s is not None else _DEFAULTS.get(self.kind, 0.0)

    @classmethod
    def from_query(cls, query: dict[str, list[str]]) -> Fault | None:
        """The fault asked for by a request's query (`?fault=throttle&times=1&delay=0.2`)."""
        kind = query.get("fault", [""])[0]
        if not kind:
            return None

        def number(name: str) -> float | None:
            value = query.get(name, [""])[0]
            try:
                return float(value) if value else None
            except ValueError:
                return None

        times, delay, status, size = (number(n) for n in ("times", "delay", "status", "size"))
        try:
            return cls(
                kind,
                times=int(times) if times is not None else 2,
                delay_s=delay,
                status=int(status) if status is not None else None,
                size=int(size) if size is not None else 8_000_000,
            )
        except (ValueError, OverflowError):  # e.g. times=inf
            return None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server sends: status, body, headers, and how (delayed, cut short, or never)."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    truncate_at: int | None = None
    hang_s: float | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One faulted request: its target (path and query), the status sent, when it arrived."""

    target: str
    kind: str
    status: int
    at: float  # time.time()


class FaultBook:
    """The server's fault state: hits per target, the log of hits, the seed, the stop signal."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.stopping = threading.Event()
        self.hits: list[Hit] = []
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def apply(self, fault: Fault, target: str, normal: Reply) -> Reply:
        """The reply to send instead of `normal` for the request of `target`."""
        arrived = time.time()
        with self._lock:
            self._counts[target] += 1
            hit = self._counts[target]
        reply = self._reply(fault, target, normal, hit)
        with self._lock:
            self.hits.append(Hit(target, fault.kind, reply.status, arrived))
        return reply

    def _reply(self, fault: Fault, target: str, normal: Reply, hit: int) -> Reply:
        kind = fault.kind
        if kind == "slow":
            return replace(normal, delay_s=fault.delay)
        if kind in ("throttle", "burst"):
            if hit > fault.times:
                return normal
            status = fault.status or _STATUS[kind]
            headers = {"Retry-After": f"{fault.delay:g}"} if kind == "throttle" else {}
            body = f"<!doctype html><title>{status}</title><p>Réessayez plus tard.</p>\n"
            return Reply(status, body.encode(), normal.content_type, headers)
        if kind == "truncate":
            return replace(normal, truncate_at=len(normal.body) // 2)
        if kind == "loop":
            return Reply(302, b"", normal.content_type, {"Location": _hop(target)})
        if kind == "huge":
            return replace(normal, body=_pad(normal.body, fault.size))
        if kind == "malformed":
            return replace(normal, body=self._malformed(normal.body, target))
        if kind == "hang":
            return Reply(200, b"", normal.content_type, hang_s=fault.delay)
        # neverload: a script whose request never ends holds the page's load event.
        script = f'<script src="/hostile/never.js?fault=hang&delay={fault.delay:g}"></script>'
        return replace(normal, body=_before_body_end(normal.body, script.encode()))

    def _malformed(self, body: bytes, target: str) -> bytes:
        """Closing tags of paragraphs, list items and the document dropped; bytes that are not
        UTF-8 (the page says it is) in a paragraph of their own. Same target, same bytes."""
        rng = random.Random(f"{self.seed}:{target}")  # noqa: S311 — test data, not crypto
        junk = bytes(rng.choice(range(0x80, 0x100)) for _ in range(24))
        for tag in (b"</li>", b"</p>", b"</body>", b"</html>"):
            body = body.replace(tag, b"")
        return _before_body_end(body, b'<p class="noise">' + junk) + b"\n"


def _hop(target: str) -> str:
    """The other end of a redirect loop: A (no hop) → B (hop=1) → A."""
    path, _, query = target.partition("?")
    params = [p for p in query.split("&") if p]
    kept = [p for p in params if p != "hop=1"]
    if len(kept) == len(params):
        kept.append("hop=1")
    return path + ("?" + "&".join(kept) if kept else "")


def _pad(body: bytes, size: int) -> bytes:
    missing = max(size - len(body), 0)
    if not missing:
        return body
    padding = b"<!-- " + b"padding " * (missing // 8) + b" -->"
    return _before_body_end(body, padding)


def _before_body_end(body: bytes, extra: bytes) -> bytes:
    at = body.rfind(b"</body>")
    return body[:at] + extra + body[at:] if at >= 0 else body + extra


_HEAD = (
    '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body>\n"
)


def hostile_listing(ad_ids: list[str], number: int, *, good: int, only: tuple[str, ...]) -> str:
    """Listing page `number` of the hostile site: the pagination never ends.

    Page 1 links `good` ads as they are, then the next ads each behind one fault of `only`;
    the other pages list nothing new (the ads of page 1 again)."""
    kinds = [k for k in only if k in KINDS]
    links = [f"/static/ad/{ad_id}" for ad_id in ad_ids[:good]]
    for kind, ad_id in zip(kinds, ad_ids[good:], strict=False):
        links.append(f"/static/ad/{ad_id}?" + urlencode({"fault": kind}))
    cards = "".join(
        f'  <li class="ad-card"><a class="ad-link" href="{escape(href)}">Annonce</a></li>\n'
        for href in links
    )
    query = {"page": number + 1} | ({"only": ",".join(only)} if only != STATIC_KINDS else {})
    query |= {"good": good} if good != 3 else {}
    pager = f'<a rel="next" class="next" href="/hostile/ads?{escape(urlencode(query))}">Suivant</a>'
    return (
        _HEAD.format(title=f"Annonces hostiles — page {number}")
        + f'<ul class="ads">\n{cards}</ul>\n<nav class="pager">{pager}</nav>\n</body></html>\n'
    )
