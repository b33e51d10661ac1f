"""`vigie sites check`: what a spec reads on one page, static and rendered, against the demo
server (loopback)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


class _FramedSite(BaseHTTPRequestHandler):
    """An ad page whose phone is in a same-origin frame under another path, served only with
    the site's clearance cookie (as interstitial-protected sites do)."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/ads/a1":
            body = '<h1 class="t">Annonce a1</h1><iframe src="/contact/frame/a1"></iframe>'
        elif self.path == "/contact/frame/a1" and "clearance=ok" in self.headers.get("Cookie", ""):
            body = '<a href="tel:+32470112233">appeler</a>'
        else:
            body = "<p>Checking your browser…</p>"
        data = f"<html><body>{body}</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.browser
def test_a_rendered_check_sends_the_spec_cookies_to_frames_under_other_paths(
    tmp_path: Path,
) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FramedSite)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    spec = tmp_path / "framed.yaml"
    spec.write_text(
        "name: framed\nrender: browser\n"
        f"base_url: {base}\nstart_urls: ['/ads']\n"
        "request: {cookies: {clearance: ok}}\n"
        "listing: {ad_links: 'a.ad::attr(href)'}\n"
        "ad:\n  id: {url_regex: '/ads/(\\w+)'}\n  title: 'h1.t::text'\n  text: 'h1.t::text'\n"
        "  phone: {css: \"[data-vigie-frame] a::attr(href)\", regex: 'tel:(.+)'}\n",
        encoding="utf-8",
    )
    try:
        run = _vigie("check", str(spec), "--url", f"{base}/ads/a1", tmp_path=tmp_path)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert run.returncode == 0, run.stderr
    assert "Annonce a1" in run.stdout
    assert "+32470112233" in run.stdout, run.stdout
