"""A crawl whose process died (kill -9, power cut) reads as `crashed`, never `running` forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from storage.repository import Store
from storage.runs import STALE_AFTER, CrawlRunRow, RunLog

REPO = Path(__file__).resolve().parents[2]


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'v.db'}"


def test_a_run_whose_process_was_killed_reads_as_crashed(tmp_path: Path) -> None:
    db = _db(tmp_path)
    Store.open(db).close()  # schema first, so the child only starts its run
    child = (
        "import os, signal\n"
        "from storage.repository import Store\n"
        "from storage.runs import RunLog\n"
        f"store = Store.open({db!r})\n"
        "print(RunLog(store.engine).start(site='s', zone=None), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", child],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    run_id = int(proc.stdout.strip())
    with Store.open(db) as store:
        log = RunLog(store.engine)
        mine = log.start(site="alive", zone=None)  # this process is alive: stays running
        runs = {run.id: run for run in log.runs()}
    assert runs[run_id].status == "crashed"
    assert runs[run_id].finished_at is not None
    assert "ended without recording an outcome" in (runs[run_id].message or "")
    assert runs[mine].status == "running"


def test_a_run_of_another_host_is_crashed_once_its_heartbeat_is_stale(tmp_path: Path) -> None:
    with Store.open(_db(tmp_path)) as store:
        log = RunLog(store.engine)
        fresh, stale = (log.start(site=s, zone=None) for s in ("fresh", "stale"))
        now = datetime.now(UTC)
        with Session(store.engine) as session:
            for run_id, beat in ((fresh, now), (stale, now - STALE_AFTER - timedelta(seconds=1))):
                row = session.get(CrawlRunRow, run_id)
                assert row is not None
                row.host, row.pid, row.heartbeat_at = "elsewhere", 1, beat
                session.add(row)
            session.commit()
        status = {run.site: run.status for run in log.runs()}
    assert status == {"fresh": "running", "stale": "crashed"}


def test_keep_alive_beats_while_the_run_goes(tmp_path: Path) -> None:
    with Store.open(_db(tmp_path)) as store:
        log = RunLog(store.engine)
        run_id = log.start(site="s", zone=None, at=datetime.now(UTC) - timedelta(hours=1))
        with log.keep_alive(run_id, every_s=0.01):
            deadline = time.monotonic() + 120  # generous: the beat comes within milliseconds
            while time.monotonic() < deadline:
                with Session(store.engine) as session:
                    row = session.get(CrawlRunRow, run_id)
                    assert row is not None
                    assert row.heartbeat_at is not None
                    if row.heartbeat_at > datetime.now(UTC) - timedelta(minutes=1):
                        break
                time.sleep(0.01)
        (run,) = log.runs()
    assert run.status == "running"  # old start, fresh heartbeat


class _Hang(BaseHTTPRequestHandler):
    """Answers nothing until the test is over: the crawl is mid-flight when it is killed."""

    release = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        self.release.wait(300)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.slow
def test_vigie_crawl_killed_mid_flight_shows_crashed_in_vigie_runs(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hang)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = _db(tmp_path)
    env = {**os.environ, "VIGIE_DATABASE_URL": db, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "vigie.cli", "crawl", "demo-static", "--base-url", base],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180
        running = False
        while not running and time.monotonic() < deadline and crawl.poll() is None:
            time.sleep(0.2)
            if (tmp_path / "v.db").exists():
                with Store.open(db) as store:
                    running = any(r.status == "running" for r in RunLog(store.engine).runs())
        assert running, "the crawl never started its run"
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(60)
    finally:
        _Hang.release.set()
        server.shutdown()
        server.server_close()
    shown = subprocess.run(
        [sys.executable, "-m", "vigie.cli", "runs"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "crashed" in shown.stdout
    assert "running" not in shown.stdout
