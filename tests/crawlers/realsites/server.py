"""Serve the synthetic sites on 127.0.0.1 (standard library ThreadingHTTPServer).

In a test::

    from tests.crawlers.realsites.server import serve, serve_all

    with serve("site_a") as base_url:          # http://127.0.0.1:<ephemeral port>
        ...
    with serve_all() as urls:                  # {"site_a": "http://127.0.0.1:…", …}
        ...

From a shell (repository root, ``PYTHONPATH=.``)::

    python -m tests.crawlers.realsites.server site_a --port 8765
    python -m tests.crawlers.realsites.server all          # each site on its own port
    python -m tests.crawlers.realsites.server --write-truth

Each ``serve`` builds the site afresh, so one-shot behaviours (the ad page that answers 500
once) start over for every server.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.crawlers.realsites import SITES
from tests.crawlers.realsites._common import Request, Response

HERE = Path(__file__).resolve().parent


def make_site(name: str) -> Any:
    if name not in SITES:
        raise ValueError(f"unknown site {name!r}; one of {', '.join(SITES)}")
    module = importlib.import_module(f"tests.crawlers.realsites.{name}")
    return module.Site()


def _handler_for(site: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = site.server_header

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
            req = Request(
                method=self.command,
                path=parts.path or "/",
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                base_url=f"http://{host}",
            )
            try:
                resp: Response = site.handle(req)
            except Exception:  # noqa: BLE001 - a bug in a site is a plain 500, as on the web
                resp = Response.text("Internal Server Error", 500)
            self.send_response(resp.status)
            for k, v in resp.headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(resp.body)
                except (BrokenPipeError, ConnectionResetError):  # the client went away
                    self.close_connection = True

        do_GET = do_POST = do_HEAD = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that aborts a request (navigation, cancelled image) is normal: stay quiet.
        return


@contextlib.contextmanager
def serve(name: str, port: int = 0) -> Iterator[str]:
    """Serve site ``name`` on 127.0.0.1 in a thread; yields its base URL (no trailing slash)."""
    site = make_site(name)
    httpd = _Server(("127.0.0.1", port), _handler_for(site))
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"realsites-{name}",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def serve_all() -> Iterator[dict[str, str]]:
    """Serve every site, each on its own ephemeral port; yields {site: base_url}."""
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(serve(name)) for name in SITES}


def write_truth() -> list[Path]:
    written = []
    for name in SITES:
        path = HERE / f"{name}.truth.json"
        truth = make_site(name).truth()
        path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:  # pragma: no cover - manual use
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("site", nargs="?", default="all", help="site_a … site_d, or all")
    ap.add_argument("--port", type=int, default=0, help="port for a single site (0: ephemeral)")
    ap.add_argument("--write-truth", action="store_true", help="regenerate the *.truth.json")
    args = ap.parse_args()
    if args.write_truth:
        for p in write_truth():
            print(p)  # noqa: T201
        return
    import time

    with contextlib.ExitStack() as stack:
        names = SITES if args.site == "all" else (args.site,)
        for name in names:
            url = stack.enter_context(serve(name, args.port if len(names) == 1 else 0))
            print(f"{name}: {url}/", flush=True)  # noqa: T201
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":  # pragma: no cover
    main()
