"""Rendering for the terminal (rich): progress while crawling, tables, the demo's summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawlers.outcome import OUTCOME, REASON, step_failures
from models.scoretext import score_text
from vigie.terminal import safe
from vigie.timezone import local_day

if TYPE_CHECKING:
    from crawlers.sitespec import SiteSpec
    from pipeline.types import Network
    from storage.records import StoredAd
    from storage.repository import Store
    from vigie.workflow import CrawlReport


@contextmanager
def crawl_progress(
    console: Console, totals: Mapping[str, int | None]
) -> Iterator[Callable[[str, str], None]]:
    """A progress bar per site; yields the callback a crawl calls for each ad it stores."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[outcomes]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks = {
        site: progress.add_task(safe(site), total=total, outcomes="")
        for site, total in totals.items()
    }
    counts: dict[str, dict[str, int]] = {site: {} for site in totals}

    def on_item(site: str, outcome: str) -> None:
        if site not in tasks:
            tasks[site] = progress.add_task(safe(site), total=None, outcomes="")
            counts[site] = {}
        counts[site][outcome] = counts[site].get(outcome, 0) + 1
        label = safe(" ".join(f"{k}={v}" for k, v in sorted(counts[site].items())))
        progress.update(tasks[site], advance=1, outcomes=label)

    with progress:
        yield on_item


def _reasons(ad: StoredAd, limit: int = 3) -> str:
    parts = []
    for ind in sorted(ad.analysis.indicators, key=lambda i: -i.weight)[:limit]:
        quote = ", ".join(f"«{safe(s.quote)}»" for s in ind.spans[:2])
        parts.append(f"{safe(ind.description)}{': ' + quote if quote else ''}")
    return "\n".join(parts)


def ads(console: Console, rows: Sequence[StoredAd], title: str = "Ads") -> None:
    table = Table(title=title, show_lines=True)
    for col in ("site", "ad", "zone", "minor", "traff.", "phones", "reasons"):
        table.add_column(col)
    for ad in rows:
        a = ad.analysis
        table.add_row(
            safe(ad.site),
            safe(ad.ad_id),
            safe(a.zone or "—"),
            score_text(a.minor_score),
            score_text(a.trafficking_score),
            "\n".join(safe(p.e164) for p in a.phones) or "—",
            _reasons(ad) or "—",
        )
    console.print(table)


def _zones(n: Network) -> str:
    """The zones a network's ads were seen in, and the other zones whose indicators it matches."""
    own = ", ".join(safe(z) for z in n.zones) or "—"
    foreign = [safe(z) for z in n.foreign_zones if z not in n.zones]
    return f"{own}\nalso seen by {', '.join(foreign)}" if foreign else own


def networks(console: Console, rows: Sequence[Network], title: str = "Networks") -> None:
    table = Table(title=title, show_lines=True)
    for col in ("network", "ads", "risk", "phones", "aliases", "zones", "movement", "seen"):
        table.add_column(col)
    for n in rows:
        seen = (
            f"{local_day(n.first_seen)} → {local_day(n.last_seen)}"
            if n.first_seen and n.last_seen
            else "—"
        )
        table.add_row(
            safe(n.network_id),
            str(len(n.members)),
            f"{n.risk:.2f}",
            "\n".join(safe(p) for p in n.phones),
            ", ".join(safe(a) for a in n.aliases),
            _zones(n),
            " → ".join(safe(z) for z in n.movement) or "—",
            seen,
        )
    console.print(table)


def sites(console: Console, specs: Sequence[SiteSpec]) -> None:
    table = Table(title="Site specs (all valid)")
    for col in ("name", "render", "base URL", "description"):
        table.add_column(col)
    for s in specs:
        table.add_row(safe(s.name), safe(s.render), safe(s.base_url), safe(s.description or ""))
    console.print(table)


def crawl_report(console: Console, report: CrawlReport) -> None:
    """One row per site: its outcome (with the reason when it is not ok), the ads stored, and
    the browser steps that failed (clicks, missing targets, waits that timed out)."""
    table = Table(title="Crawl")
    columns = ("site", "outcome", "ads stored", "new", "changed", "unchanged", "dropped")
    for col in (*columns, "errors", "failed steps"):
        table.add_column(col, justify="right")
    for site, stats in report.stats.items():
        new, changed, same = (
            report.count(site, f"vigie/ads_{k}") for k in ("new", "changed", "unchanged")
        )
        status = str(stats.get(OUTCOME, "ok"))
        if status != "ok":
            status = f"{status}: {stats.get(REASON, '')}"
        steps = " ".join(f"{k}={v}" for k, v in step_failures(stats).items())
        table.add_row(
            safe(site),
            safe(status),
            str(new + changed + same),
            str(new),
            str(changed),
            str(same),
            str(report.count(site, "item_dropped_count")),
            str(report.count(site, "log_count/ERROR")),
            steps or "—",
        )
    console.print(table)


def summary(console: Console, store: Store, report: CrawlReport, nets: Sequence[Network]) -> None:
    """The demo's closing summary: ads per site, flagged ads with reasons, cross-zone networks."""
    crawl_report(console, report)
    counts = store.counts_by_site()
    console.print(
        "Stored ads per site: "
        + ", ".join(f"{safe(k)}: {v}" for k, v in sorted(counts.items()))
    )
    for flag in ("minor", "trafficking"):
        flagged = store.list_ads(flag=flag, limit=1000)
        ads(console, flagged[:15], title=f"Flagged {flag}: {len(flagged)} ads (top 15)")
    cross = [n for n in nets if len(n.zones) > 1]
    networks(console, cross, title=f"Networks spanning zones: {len(cross)} of {len(nets)}")
