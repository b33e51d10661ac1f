from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawlers.runner import DB_ENV, REDIS_ENV
from storage.repository import Store
from storage.runs import RunLog
from vigie.commands.schedule import hostile_counters
from vigie.demo import DemoServer, generate
from vigie.schedule import (
    Job,
    Runner,
    ScheduleError,
    build_scheduler,
    load_schedule,
    run_counters,
)

SITES = {"demo-static", "demo-js"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_schedule_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timezone: Europe/Brussels\njobs:\n"
        "  - {site: demo-static, zone: '5344', cron: '*/30 * * * *'}\n"
        "  - {site: demo-js, cron: '0 3 * * 1-5', base_url: 'http://127.0.0.1:9000',\n"
        "     redis: 'redis://127.0.0.1:6379/0'}\n",
    )
    plan = load_schedule(path, known_sites=SITES)
    assert [j.name for j in plan.jobs] == ["demo-static@5344", "demo-js"]
    assert plan.jobs[1].base_url == "http://127.0.0.1:9000"
    # a job with a Redis URL runs as one worker of that shared frontier
    # (its URL passed in the environment, like the database's: never on the command line)
    runner = Runner(database_url="sqlite://", runlog=None)  # type: ignore[arg-type]
    assert runner.environment(plan.jobs[1])[REDIS_ENV] == "redis://127.0.0.1:6379/0"
    assert REDIS_ENV not in runner.environment(plan.jobs[0])
    assert runner.environment(plan.jobs[0])[DB_ENV] == "sqlite://"
    assert not any("redis" in arg or "sqlite" in arg for arg in runner.command(plan.jobs[1]))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("jobs: []\n", "jobs: expected a non-empty list of jobs"),
        (
            "jobs:\n  - {site: nowhere, cron: '* * * * *'}\n",
            "jobs[0].site: no site spec named 'nowhere'",
        ),
        ("jobs:\n  - {site: demo-js, cron: 'every hour'}\n", "jobs[0].cron: expected 5 fields"),
        ("jobs:\n  - {site: demo-js, cron: '61 * * * *'}\n", "jobs[0].cron: expected 5 fields"),
        (
            "jobs:\n  - {site: demo-js, cron: '* * * * *', zone: 1234}\n",
            "jobs[0].zone: expected a police zone",
        ),
        (
            "jobs:\n  - {site: demo-js, cron: '* * * * *', when: now}\n",
            "jobs[0]: unknown field(s) when",
        ),
        (
            "timezone: Mars/Olympus\njobs:\n  - {site: demo-js, cron: '* * * * *'}\n",
            "timezone: expected an IANA",
        ),
        (
            "jobs:\n  - {site: demo-js, cron: '* * * * *'}\n"
            "  - {site: demo-js, cron: '0 * * * *'}\n",
            "the same site and zone twice: demo-js",
        ),
        ("jobs: [unclosed\n", "not valid YAML"),
        (
            "jobs:\n  - {site: demo-js, cron: '* * * * *', redis: 'localhost:6379'}\n",
            "jobs[0].redis: expected a redis:// or rediss:// URL",
        ),
    ],
)
def test_bad_schedules_name_file_field_and_expectation(
    tmp_path: Path, body: str, message: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ScheduleError) as info:
        load_schedule(path, known_sites=SITES)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_one_site_never_runs_twice_at_once(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'v.db'}") as store:
        runner = Runner(database_url="sqlite://", runlog=RunLog(store.engine))
        started, release = threading.Event(), threading.Event()

        def slow_run(job: Job) -> str:
            started.set()
            release.wait(60)  # set by the test as soon as it has seen "skipped"
            return "ok"

        runner._run = slow_run  # type: ignore[method-assign]
        job = Job(site="demo-static", cron="* * * * *")
        first: list[str] = []
        t = threading.Thread(target=lambda: first.append(runner(job)))
        t.start()
        assert started.wait(60)
        assert runner(Job(site="demo-static", cron="0 * * * *", zone="5339")) == "skipped"
        release.set()
        t.join(60)
        assert first == ["ok"]


def test_the_scheduler_never_overlaps_a_job() -> None:
    from vigie.schedule import Schedule

    plan = Schedule("Europe/Brussels", (Job(site="demo-static", cron="*/5 * * * *"),))
    scheduler = build_scheduler(plan, Runner(database_url="sqlite://", runlog=None))  # type: ignore[arg-type]
    (job,) = scheduler.get_jobs()
    assert job.max_instances == 1
    assert job.coalesce is True


@pytest.mark.slow
def test_a_run_crawls_and_records_its_outcome(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'v.db'}"
    corpus = generate(seed=2, n_static=12, n_js=1)
    with DemoServer(corpus) as server, Store.open(db) as store:
        linked: list[str] = []
        runner = Runner(
            database_url=db, runlog=RunLog(store.engine), after_run=lambda j: linked.append(j.name)
        )
        job = Job(site="demo-static", cron="* * * * *", zone="5341", base_url=server.base_url)
        assert runner(job) == "ok"
        assert runner(job) == "ok"
        second, first = RunLog(store.engine).runs()
        assert (first.status, first.ads_new, first.ads_unchanged, first.zone) == (
            "ok",
            12,
            0,
            "5341",
        )
        assert (second.ads_new, second.ads_changed, second.ads_unchanged) == (0, 0, 12)
        # The run's own counters are kept (12 ads on pages of 10: two listing pages).
        assert first.stats["vigie/pages/listing"] == 2
        assert first.stats["vigie/pages/ad"] == 12
        assert first.stats["vigie/ads_new"] == 12
        assert all(key.startswith("vigie/") for key in first.stats)
        assert first.finished_at is not None
        assert linked == ["demo-static@5341", "demo-static@5341"]
        assert store.counts_by_site() == {"demo-static": 12}


def test_run_counters_keep_the_vigie_stats_and_the_run_log_stores_them(tmp_path: Path) -> None:
    scrapy_stats = {
        "vigie/retry/429": 2,
        "vigie/capped/pages": 1.0,
        "vigie/timeout/render": 1,
        "downloader/request_count": 40,
        "finish_reason": "finished",
        "vigie/odd": True,
    }
    counters = run_counters(scrapy_stats)
    assert counters == {"vigie/retry/429": 2, "vigie/capped/pages": 1, "vigie/timeout/render": 1}
    with Store.open(f"sqlite:///{tmp_path / 'v.db'}") as store:
        log = RunLog(store.engine)
        run_id = log.start(site="demo-static", zone=None)
        log.finish(run_id, status="ok", stats=counters)
        empty_id = log.start(site="demo-js", zone=None)
        log.finish(empty_id, status="failed", message="exit 2: boom")
        empty, stored = log.runs()
    assert stored.stats == counters
    assert empty.stats == {}
    shown = hostile_counters({**counters, "vigie/pages/ad": 5, "vigie/retry/wait_ms": 900})
    assert shown == "capped/pages=1 retry/429=2 timeout/render=1"
    assert hostile_counters({"vigie/pages/ad": 5}) == "—"


def test_a_failed_crawl_is_recorded_as_failed(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'v.db'}") as store:
        runner = Runner(database_url="not-a-url", runlog=RunLog(store.engine))
        assert runner(Job(site="demo-static", cron="* * * * *")) == "failed"
        (run,) = RunLog(store.engine).runs()
        assert run.status == "failed"
        assert run.message
        assert run.message.startswith("exit ")


@pytest.mark.slow
def test_the_daemon_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    path = write(tmp_path, "jobs:\n  - {site: demo-static, cron: '0 4 * * *'}\n")
    env = {**os.environ, "VIGIE_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vigie.cli", "schedule", "--file", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "Scheduler started" not in line:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
    assert "Scheduler started" in line, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Scheduler stopped." in rest
