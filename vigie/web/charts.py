"""Charts drawn on the server: bar charts of counts (with the flagged share) and a network's
timeline, as coordinates the templates turn into SVG."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from storage.records import StoredAd
from vigie.web.render import ad_path


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    flagged: int
    x: float
    width: float
    height: float
    flagged_height: float


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    top: int


def bar_chart(
    counts: Counter[str],
    flagged: Counter[str],
    *,
    width: int = 520,
    height: int = 180,
    keep_order: bool = False,
) -> BarChart:
    labels = sorted(counts) if keep_order else [k for k, _ in counts.most_common()]
    top = max(counts.values(), default=0)
    slot = width / max(len(labels), 1)
    bars = tuple(
        Bar(
            label=label,
            value=counts[label],
            flagged=flagged[label],
            x=round(i * slot + slot * 0.1, 1),
            width=round(slot * 0.8, 1),
            height=round(height * counts[label] / top, 1) if top else 0.0,
            flagged_height=round(height * flagged[label] / top, 1) if top else 0.0,
        )
        for i, label in enumerate(labels)
    )
    return BarChart(width, height, bars, top)


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    label: str
    href: str
    when: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    rows: tuple[tuple[str, float], ...]  # zone and its y
    points: tuple[Point, ...]
    start: datetime | None
    end: datetime | None
    undated: int = 0  # ads without a posting date: not on the timeline, in no movement


def timeline(ads: list[StoredAd], *, width: int = 900, row: int = 34) -> Timeline:
    """Each ad at the time it was posted, on the row of its zone. An ad without a posting date
    is left out and counted (`undated`): the time Vigie fetched it says when Vigie looked, not
    when the ad appeared."""
    dated = sorted(
        (ad for ad in ads if ad.raw.posted_at is not None),
        key=lambda ad: (ad.raw.posted_at, ad.site, ad.ad_id),
    )
    zones = sorted({ad.zone or "—" for ad in dated})
    ys = {zone: 20 + i * row for i, zone in enumerate(zones)}
    times = [ad.raw.posted_at for ad in dated if ad.raw.posted_at is not None]
    start, end = (min(times), max(times)) if times else (None, None)
    total = (end - start).total_seconds() if start and end else 0.0
    left, usable = 70, width - 90
    points = tuple(
        Point(
            x=round(left + (usable * (when - start).total_seconds() / total if total else 0), 1)
            if start
            else left,
            y=ys[ad.zone or "—"],
            label=ad.title[:40] or ad.ad_id,
            href=ad_path(ad.site, ad.ad_id),
            when=when,
            zone=ad.zone or "—",
        )
        for ad, when in zip(dated, times, strict=True)
    )
    height = 40 + row * max(len(zones) - 1, 0) + 20
    rows = tuple((z, y) for z, y in ys.items())
    return Timeline(width, height, rows, points, start, end, len(ads) - len(dated))


def posted_movement(ads: list[StoredAd]) -> tuple[str, ...]:
    """The zones of `ads` in the order they were posted (repeats merged); ads without a posting
    date take no part: fetch times make no movement."""
    dated = sorted(
        (ad.raw.posted_at, ad.site, ad.ad_id, ad.zone)
        for ad in ads
        if ad.raw.posted_at is not None
    )
    moves: list[str] = []
    for *_, zone in dated:
        if zone and (not moves or moves[-1] != zone):
            moves.append(zone)
    return tuple(moves)


def movements(sequence: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """Zone-to-zone moves of a network's movement sequence, counted, in first-seen order."""
    moves = Counter(zip(sequence, sequence[1:], strict=False))
    return [(a, b, n) for (a, b), n in moves.items() if a != b]
