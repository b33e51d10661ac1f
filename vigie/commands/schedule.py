"""`vigie schedule` (the crawl daemon) and `vigie runs` (what the runs did)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.table import Table

from crawlers.sitespec import load_specs
from storage.runs import RunLog
from vigie.commands.base import DatabaseOpt, Failure, app, edge, open_store, out, settings_for
from vigie.schedule import Runner, ScheduleError, build_scheduler, load_schedule, run_once
from vigie.workflow import link_stored


@app.command()
def schedule(
    file: Annotated[Path, typer.Option("--file", "-f", help="The schedule (YAML).")] = Path(
        "schedule.yaml"
    ),
    once: Annotated[
        bool, typer.Option("--once", help="Run every job once now, then exit.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Only validate the schedule file.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Run the crawl daemon: each site on its cron schedule, outcomes stored (`vigie runs`)."""
    with edge():
        settings = settings_for(database)
        known = {spec.name for spec in load_specs(settings.sites_dir)}
        try:
            plan = load_schedule(file, known_sites=known)
        except ScheduleError as exc:
            raise Failure(str(exc)) from None
        if check:
            out.print(f"{file}: {len(plan.jobs)} job(s), all valid.")
            return
        with open_store(settings) as store:

            def relink(_job: object) -> None:
                link_stored(store, settings)

            runner = Runner(
                database_url=settings.database,
                runlog=RunLog(store.engine),
                sites_dir=settings.sites_dir,
                after_run=relink,
            )
            if once:
                outcomes = run_once(plan, runner)
                out.print(
                    ", ".join(f"{j.name}: {o}" for j, o in zip(plan.jobs, outcomes, strict=True))
                )
                if any(o in ("failed", "empty") for o in outcomes):
                    raise typer.Exit(1)
                return
            scheduler = build_scheduler(plan, runner)
            stop = threading.Event()

            def on_signal(signum: int, _frame: FrameType | None) -> None:
                out.print(
                    f"{signal.Signals(signum).name}: finishing running crawls, then stopping."
                )
                stop.set()

            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
            scheduler.start()
            out.print(f"Scheduler started: {len(plan.jobs)} job(s) ({plan.timezone}).")
            for job in scheduler.get_jobs():
                out.print(f"  {job.name}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
            stop.wait()
            runner.terminate_children()
            scheduler.shutdown(wait=True)
            out.print("Scheduler stopped.")


@app.command()
def runs(
    site: Annotated[str | None, typer.Option(help="Only runs of this site.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many at most.")] = 30,
    database: DatabaseOpt = None,
) -> None:
    """List crawl runs, newest first, with what each found."""
    with edge():
        settings = settings_for(database)
        with open_store(settings) as store:
            rows = RunLog(store.engine).runs(site=site, limit=limit)
        table = Table(title="Crawl runs")
        for col in (
            "run",
            "site",
            "zone",
            "started",
            "took",
            "status",
            "new",
            "changed",
            "same",
            "errors",
            "hostile site",
        ):
            table.add_column(col)
        for r in rows:
            took = (
                f"{(r.finished_at - r.started_at).total_seconds():.0f}s" if r.finished_at else "…"
            )
            table.add_row(
                str(r.id),
                r.site,
                r.zone or "—",
                f"{r.started_at:%Y-%m-%d %H:%M}",
                took,
                r.status if r.status == "ok" else f"{r.status}: {r.message or '—'}",
                str(r.ads_new),
                str(r.ads_changed),
                str(r.ads_unchanged),
                str(r.errors),
                hostile_counters(r.stats),
            )
        out.print(table)


# The counters of a run that say how hostile the site was (see crawlers.spiders.generic).
_HOSTILE = (
    "retry/",
    "capped/",
    "timeout/",
    "redirect_loop",
    "truncated",
    "malformed/",
    "errors/",
    "browser/click_failed",
    "browser/click_target_missing",
    "browser/wait_timeout",
)


def hostile_counters(stats: dict[str, int]) -> str:
    """ "retry/429=2 capped/pages=1 …" for `vigie runs`: the non-zero hostile-site counters."""
    shown = []
    for key, value in sorted(stats.items()):
        name = key.removeprefix("vigie/")
        if value and name.startswith(_HOSTILE) and name != "retry/wait_ms":
            shown.append(f"{name}={value}")
    return " ".join(shown) or "—"
