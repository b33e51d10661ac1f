"""Logging in and out, and the user's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from storage.users import end_sessions, set_lang, verify_login
from vigie.web.i18n import LANGS, pick_lang
from vigie.web.render import page
from vigie.web.security import CSRF, Viewer, start_session

router = APIRouter()


def _next(target: str | None) -> str:
    """Only a path of this site (never `//host` or a scheme) is followed after login."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/queue"


@router.get("/login")
def login_form(request: Request, next: str = "/queue", lang: str | None = None) -> Response:
    if lang in LANGS:
        request.session["lang"] = lang
    return page(request, "login.html", user=None, next=_next(next), failed=None)


@router.post("/login", dependencies=[CSRF])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    state = request.app.state
    client = request.client.host if request.client else "?"
    user_key, client_key = f"user:{username.lower()}", f"client:{client}"
    if state.throttle.blocked(user_key, client_key):
        if state.throttle.first_refusal(user_key, client_key):  # once per key and window
            state.audit.record(
                actor=username or "?",
                action="login_failed",
                details={"why": "throttled", "client": client},
            )
        return page(
            request, "login.html", user=None, next=_next(next), failed="throttled", status_code=429
        )
    user = verify_login(state.store.engine, username=username, password=password)
    if user is None:
        state.throttle.failure(user_key, client_key)
        state.audit.record(
            actor=username or "?", action="login_failed", details={"why": "bad credentials"}
        )
        return page(
            request, "login.html", user=None, next=_next(next), failed="bad", status_code=401
        )
    state.throttle.success(user_key)
    start_session(request, user)
    state.audit.record(actor=user.username, action="login", zone=user.zone)
    return RedirectResponse(_next(next), status_code=303)


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, user: Viewer) -> Response:
    end_sessions(request.app.state.store.engine, username=user.username)  # every device's
    request.app.state.audit.record(actor=user.username, action="logout", zone=user.zone)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/lang", dependencies=[CSRF])
def change_lang(
    request: Request, user: Viewer, lang: Annotated[str, Form()], back: Annotated[str, Form()] = ""
) -> Response:
    set_lang(request.app.state.store.engine, username=user.username, lang=pick_lang(lang))
    return RedirectResponse(_next(back), status_code=303)
