"""Two `vigie crawl` at once on one SQLite database (issue #17, point 1): the same site twice, or
the two demo sites. Both exit 0, both runs end "ok" (none left "running"), every ad is stored
once. Before the fix one of them died on "database is locked" with its run left running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.repository import Store
from storage.runs import RunLog
from vigie.demo import DemoServer, generate

pytestmark = pytest.mark.slow


def start_crawl(
    site: str, base_url: str, db: str, cwd: Path, tmpdir: Path
) -> subprocess.Popen[str]:
    env = {**os.environ, "VIGIE_DATABASE_URL": db, "COLUMNS": "200", "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [sys.executable, "-m", "vigie.cli", "crawl", site, "--base-url", base_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )


def finish(crawls: list[subprocess.Popen[str]]) -> None:
    for crawl in crawls:
        out, err = crawl.communicate(timeout=600)  # a hang fails the test, not the suite
        assert crawl.returncode == 0, (out[-2000:], err[-3000:])
        assert "locked" not in out + err


def check_stored(db: str, expected: dict[str, int], runs: int) -> None:
    with Store.open(db) as store:
        assert store.counts_by_site() == expected
        assert [r.status for r in RunLog(store.engine).runs()] == ["ok"] * runs
        with store.engine.connect() as conn:
            twice = conn.execute(
                text(
                    "SELECT count(*) FROM"
                    " (SELECT site, ad_id FROM ad GROUP BY 1, 2 HAVING count(*) > 1)"
                )
            ).scalar_one()
            assert twice == 0


def test_the_same_site_crawled_twice_at_once(tmp_path: Path, short_tmp: Path) -> None:
    corpus = generate(seed=17, n_static=40, n_js=1)
    db = f"sqlite:///{tmp_path / 'data' / 'vigie.db'}"
    with Store.open(db):  # the schema first, as `vigie demo`/`vigie serve` would
        pass
    with DemoServer(corpus) as server:
        crawls = [
            start_crawl("demo-static", server.base_url, db, tmp_path, short_tmp) for _ in range(2)
        ]
        finish(crawls)
    check_stored(db, {"demo-static": 40}, runs=2)


@pytest.mark.browser
def test_the_two_demo_sites_crawled_at_once(tmp_path: Path, short_tmp: Path) -> None:
    corpus = generate(seed=17, n_static=30, n_js=8)
    db = f"sqlite:///{tmp_path / 'data' / 'vigie.db'}"
    with DemoServer(corpus) as server:  # both migrate the new database at once, too
        crawls = [
            start_crawl(site, server.base_url, db, tmp_path, short_tmp)
            for site in ("demo-static", "demo-js")
        ]
        finish(crawls)
    check_stored(db, {"demo-static": 30, "demo-js": 8}, runs=2)
