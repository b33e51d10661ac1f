"""`vigie schedule` prints one line per run as it ends and keeps each run's log (`vigie runs
--log RUN`); times a person reads are Europe/Brussels with the zone named (issue 19.5)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner, Result

from storage.repository import Store
from storage.runs import RunLog
from vigie.cli import app
from vigie.commands.schedule import run_line, run_logs_dir
from vigie.schedule import Job, Runner, run_log_path
from vigie.timezone import local_time

Run = Callable[..., Result]


def test_local_time_names_the_brussels_zone() -> None:
    assert local_time(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "2026-07-01 12:00 CEST"
    assert local_time(datetime(2026, 12, 1, 10, 0, tzinfo=UTC)) == "2026-12-01 11:00 CET"


def test_a_failed_run_is_one_line_and_its_log_is_kept_without_passwords(
    run: Run, env: dict[str, str]
) -> None:
    data = Path(env["VIGIE_DATA_DIR"])
    lines: list[str] = []
    with Store.open(f"sqlite:///{data / 'vigie.db'}") as store:
        runlog = RunLog(store.engine)
        runner = Runner(
            database_url="postgresql+psycopg://vigie:s3cret@127.0.0.1:1/nowhere",
            runlog=runlog, log_dir=run_logs_dir(data),
            on_finish=lambda job, outcome, rid: lines.append(
                run_line(job, outcome, runlog.get(rid) if rid else None)),
        )
        assert runner(Job(site="demo-static", cron="* * * * *", zone="5339")) == "failed"
        (stored,) = runlog.runs()
    (line,) = lines
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d CES?T demo-static@5339: failed, run \d+ ", line)
    assert line.endswith(f"log: vigie runs --log {stored.id}")
    kept = run_log_path(run_logs_dir(data), stored.id)
    assert kept.stat().st_mode & 0o077 == 0
    text = kept.read_text("utf-8")
    assert text.strip()
    assert "s3cret" not in text
    shown = run("runs", "--log", str(stored.id))
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == text
    missing = run("runs", "--log", "999")
    assert missing.exit_code == 2
    assert "no log kept for run 999" in missing.stderr


def test_runs_shows_brussels_time(run: Run, env: dict[str, str]) -> None:
    data = Path(env["VIGIE_DATA_DIR"])
    with Store.open(f"sqlite:///{data / 'vigie.db'}") as store:
        log = RunLog(store.engine)
        rid = log.start(site="a-very-long-site-name-that-must-never-be-cut", zone="5339",
                        at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
        log.finish(rid, status="ok")
    result = run("runs")
    assert result.exit_code == 0, result.output
    assert "2026-07-01 12:00 CEST" in result.stdout  # stored 10:00 UTC
    assert "a-very-long-site-name-that-must-never-be-cut" in result.stdout


def test_runs_never_cuts_a_site_name_at_80_columns(env: dict[str, str]) -> None:
    data = Path(env["VIGIE_DATA_DIR"])
    with Store.open(f"sqlite:///{data / 'vigie.db'}") as store:
        log = RunLog(store.engine)
        rid = log.start(site="escort-directory-brussels-north", zone="5344")
        log.finish(rid, status="ok")
    result = CliRunner().invoke(app, ["runs"], env={**env, "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "escort-directory-brussels-north" in result.stdout
