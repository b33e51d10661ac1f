"""Serve both demo sites from one loopback HTTP server (stdlib `ThreadingHTTPServer`).

    with DemoServer(generate(seed=7)) as server:
        crawl(server.base_url + "/static/")

Loopback only: any other host is refused. Request lines are logged at DEBUG level only.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from vigie.demo import pages
from vigie.demo.corpus import DemoCorpus

logger = logging.getLogger(__name__)

_STATIC_AD = re.compile(r"/static/ad/([A-Za-z0-9]+)")
_API_AD = re.compile(r"/js/api/ad/([A-Za-z0-9]+)(/phone)?")
_IMAGE = re.compile(r"/img/([0-9a-f]{16}\.(?:png|jpg))")
_ASSETS = {
    "/js/": ("js_index.html", "text/html; charset=utf-8"),
    "/js/index.html": ("js_index.html", "text/html; charset=utf-8"),
    "/js/ad.html": ("js_ad.html", "text/html; charset=utf-8"),
    "/js/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/js/app.css": ("app.css", "text/css; charset=utf-8"),
}
_REDIRECTS = {"/static": "/static/ads?page=1", "/static/": "/static/ads?page=1", "/js": "/js/"}
_HTML = "text/html; charset=utf-8"
_JSON = "application/json; charset=utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], corpus: DemoCorpus, family: int) -> None:
        self.address_family = family
        self.corpus = corpus
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("demo server: error serving %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server_version = "VigieDemo/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _send(self, status: int, body: bytes, content_type: str, send_body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_found(self, path: str, send_body: bool) -> None:
        if path.startswith("/js/api/"):
            body = json.dumps({"error": "not found"}).encode()
            self._send(404, body, _JSON, send_body)
        else:
            self._send(404, b"<!doctype html><title>404</title><h1>Introuvable</h1>\n", _HTML,
                       send_body)

    def _serve(self, send_body: bool) -> None:
        corpus = cast(_Server, self.server).corpus
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        page_values = query.get("page", ["1"])
        page = int(page_values[0]) if page_values[0].isdigit() else 0
        if path in _REDIRECTS:
            self._send(302, b"", _HTML, send_body, {"Location": _REDIRECTS[path]})
            return
        if path == "/":
            self._send(200, pages.index_page().encode(), _HTML, send_body)
            return
        if path in _ASSETS:
            name, content_type = _ASSETS[path]
            self._send(200, pages.asset(name), content_type, send_body)
            return
        body: bytes | None = None
        content_type = _HTML
        if path == "/static/ads":
            html = pages.static_listing(corpus, page)
            body = html.encode() if html is not None else None
        elif match := _STATIC_AD.fullmatch(path):
            ad = corpus.get("demo-static", match.group(1))
            body = pages.static_ad(ad).encode() if ad else None
        elif path == "/js/api/ads":
            payload = pages.api_listing(corpus, page)
            body, content_type = _json(payload), _JSON
        elif match := _API_AD.fullmatch(path):
            ad = corpus.get("demo-js", match.group(1))
            payload = None if ad is None else (
                pages.api_phone(ad) if match.group(2) else pages.api_ad(ad))
            body, content_type = _json(payload), _JSON
        elif match := _IMAGE.fullmatch(path):
            image = corpus.image_bytes(match.group(1))
            if image is not None:
                body, content_type = image
        if body is None:
            self._not_found(path, send_body)
        else:
            self._send(200, body, content_type, send_body)


def _json(payload: dict[str, Any] | None) -> bytes | None:
    if payload is None:
        return None
    return json.dumps(payload, ensure_ascii=False).encode()


def _loopback(host: str) -> tuple[str, int]:
    """The address to bind and its family; ValueError for anything but loopback."""
    if host == "localhost":
        return "127.0.0.1", socket.AF_INET
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"demo server binds to loopback only, not {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"demo server binds to loopback only, not {host!r}")
    return str(address), socket.AF_INET6 if address.version == 6 else socket.AF_INET


class DemoServer:
    """Both demo sites on one loopback HTTP server running in a daemon thread."""

    def __init__(self, corpus: DemoCorpus, host: str = "127.0.0.1", port: int = 0) -> None:
        self.corpus = corpus
        self._address, self._family = _loopback(host)
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:PORT" (IPv6 hosts in brackets); the server must be started."""
        if self._server is None:
            raise RuntimeError("demo server is not running")
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if self._family == socket.AF_INET6 else host
        return f"http://{shown}:{port}"

    def start(self) -> DemoServer:
        if self._server is not None:
            return self
        self._server = _Server((self._address, self._port), self.corpus, self._family)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="vigie-demo-server", daemon=True)
        self._thread.start()
        logger.info("demo sites serving at %s", self.base_url)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
