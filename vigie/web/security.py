"""Who is asking, and may they: the session's user, roles, CSRF tokens, login throttling and
the security headers of every response."""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.users import User, get_user

CSRF_FIELD = "csrf_token"
SESSION_USER = "user"
SESSION_CSRF = "csrf"

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
    """ASGI middleware adding the security headers (and no-store on pages) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


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


def current_user(request: Request) -> User:
    """The logged-in, enabled user, re-read on every request (a disabled account is out at once)."""
    username = request.session.get(SESSION_USER)
    user = None
    if isinstance(username, str):
        user = get_user(request.app.state.store.engine, username=username)
    if user is None or user.disabled:
        request.session.pop(SESSION_USER, None)
        raise LoginRequired
    return user


def require(role: str) -> Callable[[Request], Awaitable[User]]:
    async def dependency(request: Request) -> User:
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

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures[key]
        limit = self._clock() - self.window
        while failures and failures[0] <= limit:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        return any(len(self._recent(key)) >= self.attempts for key in keys)

    def failure(self, *keys: str) -> None:
        for key in keys:
            self._recent(key).append(self._clock())

    def success(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
