"""Secrets stay out of sight (issue #17, point 8): `vigie schedule` hands the database and Redis
URLs to its crawls by environment, never on the command line that `ps` shows every user; every
URL Vigie prints has its password replaced by ***."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

import vigie.commands.core as core_commands
import vigie.commands.web as web_commands
import vigie.workflow as workflow
from crawlers.runner import DB_ENV
from storage.engine import redact_url
from storage.repository import Store
from storage.runs import RunLog
from vigie.cli import app
from vigie.schedule import Job, Runner

PS = shutil.which("ps") or "/bin/ps"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://vigie:s3cret@db:5432/vigie",
            "postgresql+psycopg://vigie:***@db:5432/vigie",
        ),
        ("redis://:s3cret@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("rediss://user:p@ss/w:rd@host/0", "rediss://user:***@host/0"),  # raw '@', '/' and ':'
        ("postgresql://vigie@db/vigie", "postgresql://vigie@db/vigie"),  # no password
        ("sqlite:////var/lib/vigie/vigie.db", "sqlite:////var/lib/vigie/vigie.db"),
        (
            "db postgresql://a:x@h/d then redis://:y@r/1",
            "db postgresql://a:***@h/d then redis://:***@r/1",
        ),
    ],
)
def test_redact_url_hides_every_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def _args_and_environ(pid: int) -> tuple[str, bytes]:
    args = subprocess.run(
        [PS, "-o", "args=", "-p", str(pid)], capture_output=True, text=True, check=True
    ).stdout
    return args, Path(f"/proc/{pid}/environ").read_bytes()


@pytest.mark.slow
def test_a_scheduled_crawl_gets_the_database_url_by_environment_not_argv(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's3cret-marker' / 'v.db'}"
    with socket.socket() as site, Store.open(db) as store:  # a site that never answers
        site.bind(("127.0.0.1", 0))
        site.listen()
        site.settimeout(300)  # bounds a broken test only: the crawl connects within seconds
        runner = Runner(database_url=db, runlog=RunLog(store.engine))
        base_url = f"http://127.0.0.1:{site.getsockname()[1]}"
        job = Job(site="demo-static", cron="* * * * *", base_url=base_url)
        outcome: list[str] = []
        thread = threading.Thread(target=lambda: outcome.append(runner(job)))
        thread.start()
        connection, _ = site.accept()  # the crawl is running: look at it as `ps` does
        with connection:
            [child] = list(runner._children)
            args, environ = _args_and_environ(child.pid)
            runner.terminate_children()
        # Closing the connection fails the request in flight at once: Scrapy's graceful stop
        # would otherwise wait for its download timeout.
        site.close()
        thread.join()
        assert "crawlers.runner" in args
        assert "s3cret-marker" not in args
        assert f"{DB_ENV}={db}".encode() in environ.split(b"\0")
        assert [r.status for r in RunLog(store.engine).runs()] != ["running"]


def test_vigie_serve_prints_the_database_url_without_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://vigie:s3cret@db.example:5432/vigie"
    with Store.open(f"sqlite:///{tmp_path / 'v.db'}") as store:
        monkeypatch.setattr(web_commands, "open_store", lambda _settings: store)
        served: list[Any] = []
        monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
        monkeypatch.setenv("VIGIE_DATA_DIR", str(tmp_path))
        result = CliRunner().invoke(app, ["serve", "--database", url])
    assert result.exit_code == 0, result.output
    assert served
    assert "s3cret" not in result.output
    assert "postgresql+psycopg://vigie:***@db.example:5432/vigie" in result.output


def test_vigie_demo_prints_the_database_url_without_its_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://vigie:s3cret@db.example:5432/vigie"

    def stop_before_crawling(*_: object, **__: object) -> None:
        raise core_commands.Failure("stopped by the test")

    with Store.open(f"sqlite:///{tmp_path / 'v.db'}") as store:
        monkeypatch.setattr(core_commands, "open_store", lambda _settings: store)
        monkeypatch.setattr(workflow, "crawl_sites", stop_before_crawling)  # imported by demo
        result = CliRunner().invoke(
            app, ["demo", "--static-ads", "2", "--js-ads", "1", "--database", url]
        )
    assert "stopped by the test" in result.output
    assert "s3cret" not in result.output
    assert "Database: postgresql+psycopg://vigie:***@db.example:5432/vigie" in result.output
