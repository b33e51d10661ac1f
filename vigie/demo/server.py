"""Serve both demo sites from one loopback HTTP server (stdlib `ThreadingHTTPServer`).

    with DemoServer(generate(seed=7)) as server:
        crawl(server.base_url + "/static/")

Loopback only: any other host is refused. Request lines are logged at DEBUG level only. Any page
can be made hostile (slow, throttled, truncated, …) for crawler tests: see `vigie.demo.faults`.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import socket
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from vigie.demo import pages
from vigie.demo.corpus import DemoCorpus
from vigie.demo.faults import STATIC_KINDS, Fault, FaultBook, Hit, Reply, hostile_listing

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

    def __init__(self, address: tuple[str, int], corpus: DemoCorpus, family: int,
                 faults: Mapping[str, Fault], book: FaultBook) -> None:
        self.address_family = family
        self.corpus = corpus
        self.faults = faults
        self.book = book
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

    def _send(self, reply: Reply, send_body: bool) -> None:
        book = cast(_Server, self.server).book
        if reply.hang_s is not None:  # never answer; give up when the server stops
            book.stopping.wait(reply.hang_s)
            self.close_connection = True
            return
        if reply.delay_s and book.stopping.wait(reply.delay_s):
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not send_body:
            return
        if reply.truncate_at is None:
            self.wfile.write(reply.body)
            return
        self.wfile.write(reply.body[: reply.truncate_at])  # the rest never comes
        self.wfile.flush()
        self.close_connection = True

    def _serve(self, send_body: bool) -> None:
        server = cast(_Server, self.server)
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        reply = self._reply(server.corpus, url.path, query)
        fault = Fault.from_query(query) or server.faults.get(url.path)
        if fault is not None:
            reply = server.book.apply(fault, self.path, reply)
        self._send(reply, send_body)

    def _reply(self, corpus: DemoCorpus, path: str, query: dict[str, list[str]]) -> Reply:
        page_values = query.get("page", ["1"])
        page = int(page_values[0]) if page_values[0].isdigit() else 0
        if path in _REDIRECTS:
            return Reply(302, b"", _HTML, {"Location": _REDIRECTS[path]})
        if path == "/":
            return Reply(200, pages.index_page().encode(), _HTML)
        if path in _ASSETS:
            name, content_type = _ASSETS[path]
            return Reply(200, pages.asset(name), content_type)
        body: bytes | None = None
        content_type = _HTML
        if path == "/static/ads":
            html = pages.static_listing(corpus, page)
            body = html.encode() if html is not None else None
        elif path == "/hostile/ads" and page >= 1:
            body = _hostile(corpus, page, query).encode()
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
        if body is not None:
            return Reply(200, body, content_type)
        if path.startswith("/js/api/"):
            return Reply(404, json.dumps({"error": "not found"}).encode(), _JSON)
        return Reply(404, b"<!doctype html><title>404</title><h1>Introuvable</h1>\n", _HTML)


def _hostile(corpus: DemoCorpus, page: int, query: dict[str, list[str]]) -> str:
    """`/hostile/ads?page=N[&good=K][&only=kind,kind]`: see `vigie.demo.faults`."""
    good_values = query.get("good", ["3"])
    good = int(good_values[0]) if good_values[0].isdigit() else 3
    only_values = query.get("only", [])
    only = tuple(only_values[0].split(",")) if only_values else STATIC_KINDS
    ad_ids = [ad.ad_id for ad in corpus.listing("demo-static")]
    return hostile_listing(ad_ids, page, good=good, only=only)


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
    """Both demo sites on one loopback HTTP server running in a daemon thread.

    `faults` switches a fault on for a path (any path also takes `?fault=KIND`; see
    `vigie.demo.faults`); `seed` makes the faults' garbage reproducible. The requests that met a
    fault are in `hits`, with the time each arrived."""

    def __init__(self, corpus: DemoCorpus, host: str = "127.0.0.1", port: int = 0, *,
                 faults: Mapping[str, Fault] | None = None, seed: int = 0) -> None:
        self.corpus = corpus
        self.faults = dict(faults or {})
        self._book = FaultBook(seed)
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

    @property
    def hits(self) -> list[Hit]:
        """The faulted requests so far, in order of arrival."""
        return list(self._book.hits)

    def start(self) -> DemoServer:
        if self._server is not None:
            return self
        self._book.stopping.clear()
        self._server = _Server((self._address, self._port), self.corpus, self._family,
                               self.faults, self._book)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="vigie-demo-server", daemon=True)
        self._thread.start()
        logger.info("demo sites serving at %s", self.base_url)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._book.stopping.set()  # hanging and slow replies give up
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
