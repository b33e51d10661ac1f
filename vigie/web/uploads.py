"""Uploads stay in memory: an image put on a watchlist is hashed and discarded, never written.

Starlette spools an uploaded file to a temporary file past `MultiPartParser.spool_max_size`;
this middleware refuses (413) any request body over `MAX_BODY` before the app reads it, and
`keep_uploads_in_memory()` raises the spool threshold above that limit, so no upload reaches
the disk.
"""

from __future__ import annotations

from starlette.formparsers import MultiPartParser
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 11 * 1024 * 1024
"""The largest request body accepted (a 10 MB image and its form)."""


def keep_uploads_in_memory() -> None:
    MultiPartParser.spool_max_size = MAX_BODY + 1


class BodyLimit:
    """Reads a request body whole (at most MAX_BODY bytes, else 413), then hands it on."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                response = PlainTextResponse("request too large", status_code=413)
                await response(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
