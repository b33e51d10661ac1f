"""`vigie sites check`: what a spec reads on one page, static and rendered, against the demo
server (loopback)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vigie.demo import DemoServer, generate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(generate(seed=3, n_static=12, n_js=6)) as running:
        yield running


def _vigie(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "COLUMNS": "250",
        "VIGIE_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "vigie.cli", "sites", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_ad_page_shows_each_field_and_the_source_that_matched(
    server: DemoServer, tmp_path: Path
) -> None:
    ad = server.corpus.listing("demo-static")[0]
    url = server.base_url.rstrip("/") + ad.url_path
    run = _vigie("check", "demo-static", "--url", url, tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert ad.ad_id in run.stdout
    assert ad.title in run.stdout
    assert "article.ad h1.ad-title" in run.stdout or "h1.ad-title" in run.stdout
    assert not (tmp_path / "v.db").exists()  # nothing stored


def test_a_listing_page_shows_its_ad_links(server: DemoServer, tmp_path: Path) -> None:
    url = server.base_url.rstrip("/") + "/static/ads?page=1"
    run = _vigie("check", "demo-static", "--url", url, "--listing", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "ad_links: 10 link(s)" in run.stdout
    assert "page=2" in run.stdout  # the next page


@pytest.mark.browser
def test_a_rendered_ad_page_runs_the_spec_steps(server: DemoServer, tmp_path: Path) -> None:
    ad = server.corpus.listing("demo-js")[0]
    url = server.base_url.rstrip("/") + ad.url_path
    run = _vigie("check", "demo-js", "--url", url, tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "browser/clicks=" in run.stdout
    assert ad.title in run.stdout


def test_a_page_that_cannot_be_read_is_one_line_and_exit_2(tmp_path: Path) -> None:
    run = _vigie("check", "demo-static", "--url", "http://127.0.0.1:9/x", tmp_path=tmp_path)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1
    assert "could not read http://127.0.0.1:9/x" in run.stderr
