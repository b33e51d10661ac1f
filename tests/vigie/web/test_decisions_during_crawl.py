"""The review app used while `vigie crawl` writes to the same SQLite database (issue #17, point 1):
every page and every decision is answered (no 500 "database is locked") and no decision is lost.
Two investigators' browsers, in two threads, work until the crawl (and its relinking) ends."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storage.audit import AuditLog
from storage.repository import Store
from storage.reviews import reviews_of
from storage.runs import RunLog
from storage.users import add_user
from vigie.demo import DemoServer, generate

from .conftest import PASSWORD, ad_url, login

pytestmark = pytest.mark.slow

N_ADS = 40


def _review_until(
    app: FastAPI, username: str, crawl: subprocess.Popen[str], store: Store
) -> tuple[Counter[int], int, int]:
    """Decide on ad1 and read pages until the crawl process exits: (answers' status codes,
    decisions answered 303, how many of them came while the crawl was storing ads)."""
    statuses: Counter[int] = Counter()
    decided = during = 0
    decisions = ("confirm", "dismiss", "escalate")
    with TestClient(app) as client:
        token = login(client, username)
        while crawl.poll() is None:
            stored = store.count_ads()
            response = client.post(
                ad_url("ad1") + "/decision",
                data={"csrf_token": token, "decision": decisions[decided % 3], "note": username},
                follow_redirects=False,
            )
            statuses[response.status_code] += 1
            if response.status_code == 303:
                decided += 1
                during += 3 < stored < 3 + N_ADS  # some, not all, of the crawled ads are in
            for path in (ad_url("ad1"), "/queue"):
                statuses[client.get(path).status_code] += 1
    return statuses, decided, during


def test_decisions_recorded_while_a_crawl_runs_are_all_answered_and_kept(
    store: Store, app: FastAPI, tmp_path: Path, short_tmp: Path
) -> None:
    add_user(store.engine, username="second", password=PASSWORD, role="investigator", zone="5339")
    db = store.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "VIGIE_DATABASE_URL": db, "COLUMNS": "200", "TMPDIR": str(short_tmp)}
    with DemoServer(generate(seed=3, n_static=N_ADS, n_js=1)) as server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "vigie.cli", "crawl", "demo-static", "--base-url"]
            + [server.base_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        results: dict[str, tuple[Counter[int], int, int]] = {}
        errors: list[BaseException] = []

        def work(username: str) -> None:
            try:
                results[username] = _review_until(app, username, crawl, store)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(u,)) for u in ("investigator", "second")]
        for thread in threads:
            thread.start()
        out, err = crawl.communicate(timeout=600)  # a hang fails the test, not the suite
        for thread in threads:
            thread.join()
    assert errors == []
    assert crawl.returncode == 0, (out[-2000:], err[-3000:])
    statuses = sum((r[0] for r in results.values()), Counter())
    assert set(statuses) <= {200, 303}, statuses  # no 500
    decided = {username: r[1] for username, r in results.items()}
    assert sum(r[2] for r in results.values()) > 0  # the crawl was storing ads meanwhile
    reviews = Counter(r.actor for r in reviews_of(store.engine, site="demo-static", ad_id="ad1"))
    assert reviews == {u: n for u, n in decided.items() if n}  # none lost
    entries = AuditLog(store.engine).entries(action="decision", limit=100_000)
    audited = Counter(e.actor for e in entries)
    assert audited == reviews
    assert store.counts_by_site()["demo-static"] == 3 + N_ADS
    assert [r.status for r in RunLog(store.engine).runs()] == ["ok"]
