"""The review app's factory: `create_app(store, WebConfig(...))` → a FastAPI app.

Nothing is built at import time; the CLI (`vigie serve`) and the tests call the factory with a
store and the settings they want. Every page needs a logged-in user (except `/login` and the
static CSS/JS); see `security.py` for sessions, roles, CSRF and throttling.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from storage.audit import AuditLog
from storage.imagesearch import ImageHashes
from storage.repository import Store
from storage.webqueries import dashboard_counts
from vigie.web.countcache import CountCache
from vigie.web.params import RefuseNul
from vigie.web.render import page
from vigie.web.routes import (
    ad,
    alerts,
    audit,
    auth,
    dashboard,
    netexport,
    network,
    queue,
    search,
    watchlists,
)
from vigie.web.security import (
    Forbidden,
    LoginRequired,
    LoginThrottle,
    SecurityHeaders,
    Viewer,
)
from vigie.web.uploads import BodyLimit, keep_uploads_in_memory

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "vigie_session"


@dataclass(frozen=True, slots=True)
class WebConfig:
    secret_key: str
    """Signs the session cookie (itsdangerous); keep it secret and stable across restarts."""
    https_only: bool = False
    """Mark the session cookie Secure (set it when served over TLS)."""
    session_max_age: int = 8 * 3600
    login_attempts: int = 5
    login_window: float = 15 * 60.0
    region: str = "BE"
    """Default country of phone numbers searched in national format."""
    pseudonym_key: bytes | None = field(default=None, repr=False)
    """The zones' shared pseudonymisation key, when installed: network exports may use it."""

    def __post_init__(self) -> None:
        if len(self.secret_key) < 32:
            raise ValueError("the session secret key needs at least 32 characters")


async def _login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return page(request, "error.html", user=None, status_code=403, error="forbidden")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    kind = {404: "not_found", 405: "not_allowed", 400: "invalid"}.get(status, "error")
    return page(request, "error.html", user=None, status_code=status, error=kind)


async def _invalid(request: Request, exc: Exception) -> Response:
    """A parameter out of its range or of the wrong type: 400 and an error page, never 422/500."""
    return page(request, "error.html", user=None, status_code=400, error="invalid")


def create_app(store: Store, config: WebConfig) -> FastAPI:
    app = FastAPI(title="Vigie", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.audit = AuditLog(store.engine)
    app.state.image_hashes = ImageHashes(store.engine)  # search by image, kept in memory
    app.state.counts = CountCache(partial(dashboard_counts, store.engine))  # kept while slow
    app.state.region = config.region
    app.state.pseudonym_key = config.pseudonym_key
    app.state.throttle = LoginThrottle(attempts=config.login_attempts, window=config.login_window)
    app.add_middleware(
        SessionMiddleware,
        secret_key=config.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=config.session_max_age,
        same_site="strict",
        https_only=config.https_only,
    )
    app.add_middleware(RefuseNul)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    keep_uploads_in_memory()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    routers = (auth, queue, ad, network, netexport, search, watchlists, alerts, dashboard, audit)
    for module in routers:
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    async def home(user: Viewer) -> Response:
        return RedirectResponse("/queue", status_code=303)

    return app


__all__ = ["WebConfig", "create_app"]
