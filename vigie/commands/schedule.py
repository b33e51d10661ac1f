"""`vigie schedule` (the crawl daemon) and `vigie runs` (what the runs did)."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from vigie import jsonrows
from vigie.commands.base import (
    DatabaseOpt,
    Failure,
    JsonOpt,
    app,
    edge,
    emit_json,
    open_store,
    out,
    settings_for,
)
from vigie.terminal import safe, strip_controls
from vigie.timezone import local_time

if TYPE_CHECKING:  # the scheduler, the store and the crawlers load only when a command runs
    from storage.runs import CrawlRun
    from vigie.schedule import Job


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
    from crawlers.sitespec import load_specs
    from storage.runs import RunLog
    from vigie.schedule import Runner, ScheduleError, build_scheduler, load_schedule, run_once
    from vigie.storedlinks import StoredLinks
    from vigie.workflow import link_stored

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

            links = StoredLinks()  # the networks in memory: each run links what changed

            def relink(_job: object) -> None:
                link_stored(store, settings, links=links)

            runlog = RunLog(store.engine)

            def report(job: Job, outcome: str, run_id: int | None) -> None:
                out.print(run_line(job, outcome, runlog.get(run_id) if run_id else None),
                          highlight=False)

            runner = Runner(
                database_url=settings.database,
                runlog=runlog,
                sites_dir=settings.sites_dir,
                after_run=relink,
                log_dir=run_logs_dir(settings.data_dir),
                on_finish=report,
            )
            if once:
                out.print(f"Running {len(plan.jobs)} job(s) once, one line each as it ends "
                          "(times Europe/Brussels).", highlight=False)
                outcomes = run_once(plan, runner)
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
            out.print(f"Scheduler started: {len(plan.jobs)} job(s), cron in {plan.timezone}; "
                      "times shown in Europe/Brussels.", highlight=False)
            for job in scheduler.get_jobs():
                out.print(f"  {safe(job.name)}: next run {local_time(job.next_run_time)}",
                          highlight=False)
            stop.wait()
            runner.terminate_children()
            scheduler.shutdown(wait=True)
            out.print("Scheduler stopped.")


@app.command()
def runs(
    site: Annotated[str | None, typer.Option(help="Only runs of this site.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many at most.")] = 30,
    log: Annotated[
        int | None,
        typer.Option("--log", metavar="RUN", help="Print the crawl log kept for this run."),
    ] = None,
    as_json: JsonOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """List crawl runs, newest first, with what each found (or one scheduled run's log)."""
    from storage.runs import RunLog
    from vigie.schedule import run_log_path

    with edge():
        settings = settings_for(database)
        if log is not None:
            path = run_log_path(run_logs_dir(settings.data_dir), log)
            if not path.is_file():
                raise Failure(f"no log kept for run {log} (only runs of `vigie schedule` keep "
                              f"one, in {path.parent})")
            sys.stdout.write(strip_controls(path.read_text("utf-8", errors="replace")))
            return
        with open_store(settings) as store:
            rows = RunLog(store.engine).runs(site=site, limit=limit)
        if as_json:
            emit_json(jsonrows.run(r) for r in rows)
            return
        table = Table(title="Crawl runs (times Europe/Brussels)")
        table.add_column("run")
        # A site name is never cut: its column is as wide as the longest name shown.
        widest = max((len(r.site) for r in rows), default=4)
        table.add_column("site", no_wrap=True, min_width=widest)
        for col in ("zone", "started", "took", "status", "new", "changed", "same", "errors",
                    "hostile site"):
            table.add_column(col)
        for r in rows:
            took = (
                f"{(r.finished_at - r.started_at).total_seconds():.0f}s" if r.finished_at else "…"
            )
            table.add_row(
                str(r.id),
                safe(r.site),
                safe(r.zone or "—"),
                local_time(r.started_at),
                took,
                r.status if r.status == "ok" else f"{r.status}: {safe(r.message or '—')}",
                str(r.ads_new),
                str(r.ads_changed),
                str(r.ads_unchanged),
                str(r.errors),
                safe(hostile_counters(r.stats)),
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


def run_logs_dir(data_dir: Path) -> Path:
    """Where `vigie schedule` keeps each run's crawl log."""
    return data_dir / "runs"


def run_line(job: Job, outcome: str, run: CrawlRun | None) -> str:
    """One line per run: when it ended (Brussels), the job, the outcome, what it found."""
    when = local_time(run.finished_at or run.started_at) if run else local_time(datetime.now(UTC))
    if run is None:
        return f"{when} {safe(job.name)}: {outcome} (a run of this site was still going)"
    found = f"{run.ads_new} new, {run.ads_changed} changed, {run.ads_unchanged} same"
    detail = found if outcome == "ok" else safe(run.message or "")
    return (f"{when} {safe(job.name)}: {outcome}, run {run.id} ({detail}); "
            f"log: vigie runs --log {run.id}")
