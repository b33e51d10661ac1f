"""Scheduled crawls: a YAML schedule file, validated, run by APScheduler.

    timezone: Europe/Brussels
    jobs:
      - site: demo-static        # a site spec name
        zone: "5344"             # the zone that runs it (optional)
        cron: "*/30 * * * *"     # minute hour day month weekday
        base_url: http://…       # optional override of the spec's base_url
        redis: redis://host:6379/0  # optional: a worker of that shared frontier (see README)

Each run is a crawl in its own process (`python -m crawlers.runner`: Twisted's reactor runs once
per process), recorded in the crawl_run table with its outcome; a site never runs twice at once.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from crawlers.outcome import FAILED, OK, OUTCOME, REASON
from crawlers.runner import DB_ENV, REDIS_ENV
from storage.engine import redact_url
from storage.runs import FINISHED, RunLog

log = logging.getLogger(__name__)
ZONES = frozenset(str(z) for z in range(5339, 5345))


class ScheduleError(ValueError):
    """A schedule file is invalid; the message names the file, the field and what was expected."""


@dataclass(frozen=True, slots=True)
class Job:
    site: str
    cron: str
    zone: str | None = None
    base_url: str | None = None
    redis: str | None = None

    @property
    def name(self) -> str:
        return f"{self.site}@{self.zone}" if self.zone else self.site


@dataclass(frozen=True, slots=True)
class Schedule:
    timezone: str
    jobs: tuple[Job, ...]


def _job(path: Path, i: int, raw: object, known_sites: set[str], tz: str) -> Job:
    where = f"{path}: jobs[{i}]"
    if not isinstance(raw, dict):
        raise ScheduleError(f"{where}: expected a mapping with site and cron")
    unknown = set(raw) - {"site", "cron", "zone", "base_url", "redis"}
    if unknown:
        raise ScheduleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    site, cron = raw.get("site"), raw.get("cron")
    if not isinstance(site, str) or not site:
        raise ScheduleError(f"{where}.site: expected a site name, got {site!r}")
    if site not in known_sites:
        raise ScheduleError(
            f"{where}.site: no site spec named {site!r} (known: {', '.join(sorted(known_sites))})"
        )
    if not isinstance(cron, str):
        raise ScheduleError(f"{where}.cron: expected a cron expression string, got {cron!r}")
    try:
        CronTrigger.from_crontab(cron, timezone=tz)
    except ValueError as exc:
        raise ScheduleError(
            f"{where}.cron: expected 5 fields 'minute hour day month weekday', got {cron!r} ({exc})"
        ) from exc
    zone = raw.get("zone")
    if zone is not None and str(zone) not in ZONES:
        raise ScheduleError(f"{where}.zone: expected a police zone 5339–5344, got {zone!r}")
    base_url = raw.get("base_url")
    if base_url is not None and (
        not isinstance(base_url, str) or not base_url.startswith(("http://", "https://"))
    ):
        shown = redact_url(str(base_url))
        raise ScheduleError(f"{where}.base_url: expected an http(s) URL, got {shown!r}")
    redis = raw.get("redis")
    if redis is not None and (
        not isinstance(redis, str) or not redis.startswith(("redis://", "rediss://"))
    ):
        shown = redact_url(str(redis))
        raise ScheduleError(f"{where}.redis: expected a redis:// or rediss:// URL, got {shown!r}")
    return Job(
        site=site,
        cron=cron,
        zone=str(zone) if zone is not None else None,
        base_url=base_url,
        redis=redis,
    )


def load_schedule(path: Path, *, known_sites: set[str]) -> Schedule:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ScheduleError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list) or not data["jobs"]:
        raise ScheduleError(f"{path}: jobs: expected a non-empty list of jobs")
    tz = data.get("timezone", "Europe/Brussels")
    try:
        CronTrigger(timezone=tz)
    except Exception as exc:  # apscheduler raises various errors for a bad zone name
        raise ScheduleError(f"{path}: timezone: expected an IANA time zone, got {tz!r}") from exc
    jobs = tuple(_job(path, i, raw, known_sites, tz) for i, raw in enumerate(data["jobs"]))
    names = [j.name for j in jobs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ScheduleError(f"{path}: jobs: the same site and zone twice: {', '.join(dupes)}")
    return Schedule(timezone=tz, jobs=jobs)


@dataclass
class Runner:
    """Runs one job: a crawl subprocess, its outcome recorded; one run per site at a time."""

    database_url: str
    runlog: RunLog
    sites_dir: Path | None = None
    after_run: Callable[[Job], None] | None = None
    timeout_s: float = 3600.0
    log_dir: Path | None = None
    """Where each run's crawl log is kept, `<run id>.log` (`vigie runs --log RUN`)."""
    on_finish: Callable[[Job, str, int | None], None] | None = None
    """Told of each run's outcome ("ok", "failed", "skipped") and its run id, as it ends."""
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _children: set[subprocess.Popen[str]] = field(default_factory=set)

    def command(self, job: Job) -> list[str]:
        """The crawl's command line: no URL that may hold a password (see `environment`)."""
        cmd = [sys.executable, "-m", "crawlers.runner", "--site", job.site]
        if self.sites_dir is not None:
            cmd += ["--sites-dir", str(self.sites_dir)]
        if job.base_url:
            cmd += ["--base-url", job.base_url]
        return cmd

    def environment(self, job: Job) -> dict[str, str]:
        """The crawl's environment: ours, plus the database and Redis URLs (a process's
        environment is readable by its user and root only; its argv by every user)."""
        env = {key: value for key, value in os.environ.items() if key not in (DB_ENV, REDIS_ENV)}
        env[DB_ENV] = self.database_url
        if job.redis:
            env[REDIS_ENV] = job.redis
        return env

    def __call__(self, job: Job) -> str:
        """Run `job` now; returns its outcome ("ok", "empty", "failed") or "skipped" (the site
        is already running)."""
        with self._guard:
            lock = self._locks.setdefault(job.site, threading.Lock())
        if not lock.acquire(blocking=False):
            log.warning("skipping %s: a run of this site is still going", job.name)
            return self._told(job, "skipped", None)
        try:
            return self._run(job)
        finally:
            lock.release()

    def _run(self, job: Job) -> str:
        run_id = self.runlog.start(site=job.site, zone=job.zone)
        with self.runlog.keep_alive(run_id):
            proc = subprocess.Popen(  # noqa: S603 — our own interpreter and module
                self.command(job),
                env=self.environment(job),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            self._children.add(proc)
            try:
                out, errtext = proc.communicate(timeout=self.timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, errtext = proc.communicate()
            finally:
                self._children.discard(proc)
        self._keep_log(run_id, errtext)
        stats = _stats(out, job.site)
        if stats is None:  # the crawl could not run (exit 2) or died: no stats to read
            tail = redact_url((errtext.strip().splitlines() or ["no output"])[-1])
            self.runlog.finish(run_id, status="failed", message=f"exit {proc.returncode}: {tail}")
            return self._told(job, "failed", run_id)
        status = finish_run(self.runlog, run_id, stats)
        if status == "ok" and self.after_run is not None:
            self.after_run(job)
        return self._told(job, status, run_id)

    def _told(self, job: Job, outcome: str, run_id: int | None) -> str:
        if self.on_finish is not None:
            self.on_finish(job, outcome, run_id)
        return outcome

    def _keep_log(self, run_id: int, text: str) -> None:
        """The crawl's log (its standard error), passwords of URLs redacted, readable by the
        owner only."""
        if self.log_dir is None:
            return
        self.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = run_log_path(self.log_dir, run_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(redact_url(text))

    def terminate_children(self) -> None:
        """Ask running crawls to stop (Scrapy closes gracefully on SIGTERM)."""
        for proc in list(self._children):
            proc.terminate()


def run_log_path(log_dir: Path, run_id: int) -> Path:
    return log_dir / f"{run_id}.log"


def finish_run(runlog: RunLog, run_id: int, stats: Mapping[str, Any]) -> str:
    """Record a finished crawl from its Scrapy stats: its outcome (`crawlers.outcome`: ok, empty
    or failed, with the reason), ads new/changed/unchanged, errors and the crawl's own counters.
    Returns the outcome."""

    def count(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    status = str(stats.get(OUTCOME, OK))
    if status not in FINISHED:
        status = FAILED
    reason = stats.get(REASON) or stats.get("finish_reason")
    runlog.finish(
        run_id,
        status=status,
        ads_new=count("vigie/ads_new"),
        ads_changed=count("vigie/ads_changed"),
        ads_unchanged=count("vigie/ads_unchanged"),
        errors=count("log_count/ERROR"),
        message=str(reason) if reason else None,
        stats=run_counters(stats),
    )
    return status


def run_counters(stats: Mapping[str, Any]) -> dict[str, int]:
    """The crawl's own counters (the Scrapy stats under `vigie/`) for the run record: pages,
    ads, caps, retries, timeouts, redirect loops, malformed pages, errors."""
    return {
        key: int(value)
        for key, value in stats.items()
        if key.startswith("vigie/")
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    }


def _stats(output: str, site: str) -> dict[str, Any] | None:
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                return None
            value = data.get(site) if isinstance(data, dict) else None
            return value if isinstance(value, dict) else None
    return None


def build_scheduler(schedule: Schedule, runner: Runner) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=schedule.timezone)
    for job in schedule.jobs:
        scheduler.add_job(
            runner,
            CronTrigger.from_crontab(job.cron, timezone=schedule.timezone),
            args=[job],
            id=job.name,
            name=job.name,
            max_instances=1,  # never two runs of one job; Runner also locks per site
            coalesce=True,
            misfire_grace_time=300,
        )
    return scheduler


def run_once(schedule: Schedule, runner: Runner, jobs: Sequence[Job] | None = None) -> list[str]:
    """Run every job once now, in order (for `vigie schedule --once`)."""
    return [runner(job) for job in (jobs or schedule.jobs)]
