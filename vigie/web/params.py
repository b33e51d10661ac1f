"""The bounds of the review app's query and path parameters.

A value outside them (a page number past any real page, an id no database column can hold)
answers 400 with an error page (app.py's validation handler), never a database error.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_PAGE = 100_000
"""No listing has that many pages; the offset it gives stays far inside any integer column."""
MAX_ROW_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds on PostgreSQL (SQLite's are wider)."""
MAX_ZONES = 6

PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
MinZones = Annotated[int, Query(ge=0, le=MAX_ZONES)]


class RefuseNul:
    """ASGI middleware: 400 for a NUL character in the path, the query string or a urlencoded
    form. No field of the app needs one, and PostgreSQL refuses it in text (a 500 otherwise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or _has_nul(scope.get("query_string", b"")):
            await _refuse(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if not headers.get(b"content-type", b"").startswith(b"application/x-www-form-urlencoded"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:  # BodyLimit (outside) has bounded the body already
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _has_nul(body):
            await _refuse(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"%00" in raw.lower()


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("NUL characters are not accepted", status_code=400)(
        scope, receive, send
    )
