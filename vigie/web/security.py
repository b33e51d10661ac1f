"""Who is asking, and may they: the session's user, roles, CSRF tokens, login throttling and
the security headers of every response."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.users import User, get_user

log = logging.getLogger(__name__)

CSRF_FIELD = "csrf_token"
SESSION_USER = "user"
SESSION_CSRF = "csrf"
SESSION_GENERATION = "gen"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class LoginRequired(Exception):
    """No valid session: the app answers with a redirection to the login page."""


class Forbidden(Exception):
    """The user is known but may not do this (role), or the form's CSRF token is wrong."""


class SecurityHeaders:
    """ASGI middleware adding the security headers and `Cache-Control: no-store` to every
    response — pages, static files and errors alike. An exception no handler caught becomes a
    plain 500 here (logged), so that even it goes out with the headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in _HEADER_NAMES
                ]
                headers += _HEADER_BYTES
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s", scope.get("path", "?"))
            if started:
                raise
            response = PlainTextResponse("internal server error", status_code=500)
            await response(scope, receive, send_with_headers)


_HEADER_BYTES = [
    (k.encode(), v.encode()) for k, v in {**HEADERS, "cache-control": "no-store"}.items()
]
_HEADER_NAMES = {k for k, _ in _HEADER_BYTES}


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use); every form carries it."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a form whose CSRF token is missing or not the session's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(SESSION_CSRF)
    if not (
        isinstance(sent, str)
        and isinstance(expected, str)
        and secrets.compare_digest(sent.encode(), expected.encode())
    ):
        raise Forbidden("invalid CSRF token")


def start_session(request: Request, user: User) -> None:
    """A new session for `user`, bound to the account's current session generation."""
    request.session.clear()
    request.session[SESSION_USER] = user.username
    request.session[SESSION_GENERATION] = user.session_generation
    csrf_token(request)  # a fresh token for the new session


def current_user(request: Request) -> User:
    """The logged-in, enabled user, re-read on every request. A session ends for good when the
    account is disabled or its session generation moves on (logout anywhere, new password):
    a cookie kept from before is refused, though its signature is still good."""
    username = request.session.get(SESSION_USER)
    generation = request.session.get(SESSION_GENERATION)
    user = None
    if isinstance(username, str):
        user = get_user(request.app.state.store.engine, username=username)
    if (
        user is None
        or user.disabled
        or type(generation) is not int
        or generation != user.session_generation
    ):
        request.session.clear()
        raise LoginRequired
    return user


def require(role: str) -> Callable[[Request], User]:
    def dependency(request: Request) -> User:  # sync: FastAPI runs it (a DB read) off the loop
        user = current_user(request)
        if not user.can(role):
            raise Forbidden(f"role {role} needed")
        return user

    return dependency


Viewer = Annotated[User, Depends(current_user)]
Investigator = Annotated[User, Depends(require("investigator"))]
Admin = Annotated[User, Depends(require("admin"))]
CSRF = Depends(check_csrf)


class LoginThrottle:
    """At most `attempts` failed logins per key (a username, a client address) in `window`
    seconds; further attempts are refused until the oldest failure leaves the window."""

    def __init__(
        self,
        *,
        attempts: int = 5,
        window: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._reported: dict[str, float] = {}
        self._lock = threading.RLock()  # the login route runs in the thread pool

    def _count(self, key: str) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        limit = self._clock() - self.window
        while failures and failures[0] <= limit:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return len(failures)

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            return any(self._count(key) >= self.attempts for key in keys)

    def first_refusal(self, *keys: str) -> bool:
        """For a refused attempt: True when one of its blocked keys has not been reported in
        the last `window` seconds (so the audit trail gets one entry per key and window, not
        one per request)."""
        with self._lock:
            now = self._clock()
            for stale in [k for k, at in self._reported.items() if now - at >= self.window]:
                del self._reported[stale]
            fresh = False
            for key in keys:
                if self._count(key) >= self.attempts and key not in self._reported:
                    self._reported[key] = now
                    fresh = True
            return fresh

    def failure(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures[key].append(self._clock())

    def success(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
