"""Crawl outcomes that tell the truth (crawlers.outcome): real crawls of a loopback site whose
start pages fail in each of the ways real sites do; each must end `failed` or `empty` with its
reason and a non-zero exit, and a good one `ok` with exit 0."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest

from crawlers.outcome import EMPTY, FAILED, OK, classify, describe, step_failures
from tests.shorttmp import short_tmpdir

REPO = Path(__file__).resolve().parents[2]

LISTING = '<html><body><ul class="ads">{links}</ul></body></html>'
AD = '<html><body><article class="ad" data-ad-id="{id}"><h1>Ad {id}</h1>' + (
    '<div class="body">Synthetic text {id}</div></article></body></html>'
)
GATE = (
    '<html><body><form method="post" action="/enter"><button>I am 18+</button></form></body></html>'
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        path = self.path
        if path == "/ok":
            self._send(200, LISTING.format(links='<li><a class="ad" href="/ad/1">1</a></li>'))
        elif path.startswith("/ad/"):
            self._send(200, AD.format(id=path.rsplit("/", 1)[1]))
        elif path == "/missing":
            self._send(404, "<html><body>not found</body></html>")
        elif path == "/gated":
            self.send_response(302)
            self.send_header("Location", "/age-check")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/age-check":
            self._send(200, GATE)
        elif path == "/redesigned":  # the site changed its markup: the selector finds nothing
            self._send(200, LISTING.format(links='<li><a class="card" href="/ad/1">1</a></li>'))
        elif path == "/forbidden-ads":
            links = "".join(f'<li><a class="ad" href="/denied/{i}">{i}</a></li>' for i in range(3))
            self._send(200, LISTING.format(links=links))
        elif path.startswith("/denied/"):
            self._send(403, "<html><body>forbidden</body></html>")
        else:
            self._send(404, "<html></html>")

    def _send(self, status: int, html: str) -> None:
        body = html.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SPEC = """\
name: probe
render: {render}
base_url: http://127.0.0.1:9/
start_urls: ["{start}"]
listing:
  ad_links: ul.ads a.ad::attr(href)
ad:
  id: {{css: "article.ad::attr(data-ad-id)"}}
  title: article.ad h1
  text: article.ad div.body
limits:
  retries: 0
  download_delay: 0
  page_timeout_s: 30
"""


def _crawl(
    base_url: str, start: str, tmp_path: Path, render: str = "static"
) -> tuple[int, dict[str, Any], str]:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "probe.yaml").write_text(SPEC.format(start=start, render=render), "utf-8")
    args = ["--site", "probe", "--sites-dir", str(sites), "--base-url", base_url]
    args += ["--db", f"sqlite:///{tmp_path / 'v.db'}", "--set", "VIGIE_HASH_IMAGES=false"]
    with short_tmpdir() as tmpdir:
        env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
        proc = subprocess.run(
            [sys.executable, "-m", "crawlers.runner", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,  # a hang fails this test, not the suite; normal runs take a few seconds
            check=False,
        )
    assert proc.stdout.strip(), proc.stderr[-3000:]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])["probe"]
    return proc.returncode, stats, proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("start", "status", "words"),
    [
        ("/ok", OK, None),
        ("/missing", FAILED, "HTTP 404"),
        ("/gated", FAILED, "/age-check"),
        ("/redesigned", EMPTY, "ad_links selector matched nothing"),
        ("/forbidden-ads", FAILED, "every ad page failed (3: HTTP 403 ×3)"),
    ],
)
def test_each_way_a_crawl_reaches_nothing_ends_with_its_reason_and_exit_1(
    site: str, tmp_path: Path, start: str, status: str, words: str | None
) -> None:
    code, stats, err = _crawl(site, start, tmp_path)
    assert stats["vigie/outcome"] == status, err[-2000:]
    if status == OK:
        assert code == 0, err[-2000:]
        assert "vigie/outcome_reason" not in stats
        return
    assert code == 1
    assert words is not None
    assert words in stats["vigie/outcome_reason"]
    assert f"probe: {status}: " in err  # said on standard error, not only in the stats


@pytest.mark.slow
@pytest.mark.parametrize("render", ["static", "browser"])
def test_a_site_that_is_down_fails(tmp_path: Path, render: str) -> None:
    code, stats, err = _crawl(f"http://127.0.0.1:{_closed_port()}/", "/", tmp_path, render)
    assert code == 1
    assert stats["vigie/outcome"] == FAILED
    assert "connection refused" in stats["vigie/outcome_reason"], err[-2000:]


def test_a_distributed_worker_that_read_no_listing_page_is_not_failed() -> None:
    # Another worker took the listing pages: this one read ads only, or nothing at all.
    assert classify({}, distributed=True).status == OK
    assert classify({}).status == FAILED
    stats = {"vigie/failed/ad/errors/http_403": 2}
    assert classify(stats, distributed=True).status == FAILED


def test_reasons_and_step_failures_read_as_words() -> None:
    kinds = {"errors/http_404": 2, "errors/ConnectionRefusedError": 1, "timeout/download": 3}
    assert describe(kinds) == "timed out ×3, HTTP 404 ×2, connection refused"
    stats = {"vigie/browser/click_failed": 2, "vigie/browser/clicks": 9, "vigie/browser/x": 1}
    assert step_failures(stats) == {"click_failed": 2}
    # Ads read: ok whatever else failed on the way.
    assert (
        classify({"vigie/ads_scraped": 1, "vigie/failed/listing/errors/http_500": 3}).status == OK
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("start", "status", "words"),
    [("/ok", OK, None), ("/missing", FAILED, "HTTP 404"), ("/gated", FAILED, "/age-check")],
)
def test_outcomes_in_real_chromium(
    site: str, tmp_path: Path, start: str, status: str, words: str | None
) -> None:
    code, stats, err = _crawl(site, start, tmp_path, render="browser")
    assert stats["vigie/outcome"] == status, err[-2000:]
    assert code == (0 if status == OK else 1)
    if words is not None:
        assert words in stats["vigie/outcome_reason"]


@pytest.mark.slow
def test_vigie_crawl_says_why_exits_1_and_vigie_runs_keeps_the_reason(
    site: str, tmp_path: Path
) -> None:
    spec = tmp_path / "probe.yaml"
    spec.write_text(SPEC.format(start="/missing", render="static"), "utf-8")
    env = {**os.environ, "VIGIE_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}", "COLUMNS": "250"}
    env |= {"PYTHONPATH": str(REPO), "VIGIE_HASH_IMAGES": "false"}

    def vigie(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vigie.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    crawl = vigie("crawl", str(spec), "--base-url", site)
    assert crawl.returncode == 1, crawl.stderr[-2000:]
    assert "crawl failed: no listing page could be read (HTTP 404)" in crawl.stderr
    runs = vigie("runs")
    assert runs.returncode == 0, runs.stderr
    assert "failed: no listing page could be read (HTTP 404)" in runs.stdout
