"""Watchlists (phones, aliases, image hashes — a hash given, or an image hashed in memory and
discarded) and their alerts. Every change is recorded in the audit log with its reason."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from pipeline.images import ImageRejected, hash_image
from storage.errors import StorageError
from storage.users import User
from storage.watchlists import (
    KINDS,
    add_entry,
    close_alert,
    deactivate_entry,
    list_alerts,
    list_entries,
    scan_alerts,
)
from vigie.web.render import page
from vigie.web.routes.search import phones_in
from vigie.web.security import CSRF, Investigator, Viewer

router = APIRouter()
HEX16 = re.compile(r"[0-9a-f]{16}")
MAX_UPLOAD = 10 * 1024 * 1024


def _form(request: Request, user: User, status: int = 200, **extra: object) -> Response:
    engine = request.app.state.store.engine
    return page(
        request,
        "watchlists.html",
        user=user,
        status_code=status,
        entries=list_entries(engine),
        alerts=list_alerts(engine),
        kinds=KINDS,
        **extra,
    )


@router.get("/watchlists")
async def watchlists_page(request: Request, user: Viewer) -> Response:
    return _form(request, user)


async def _value(request: Request, kind: str, value: str, image: UploadFile | None) -> str:
    """The entry's normalised value, or "" when it cannot be read."""
    if kind == "phone":
        phones = phones_in(value, request.app.state.region)
        return phones[0] if phones else ""
    if kind == "alias":
        return " ".join(value.split())
    if image is not None and image.filename:
        data = await image.read(MAX_UPLOAD + 1)  # in memory only (see uploads.py)
        try:
            phash, _dhash = hash_image(data, max_bytes=MAX_UPLOAD)
        except ImageRejected:
            return ""
        finally:
            del data
        return phash
    h = value.strip().lower()
    return h if HEX16.fullmatch(h) else ""


@router.post("/watchlists", dependencies=[CSRF])
async def add(
    request: Request,
    user: Investigator,
    kind: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=200)],
    value: Annotated[str, Form(max_length=200)] = "",
    label: Annotated[str, Form(max_length=200)] = "",
    image: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if kind not in KINDS or not reason.strip():
        return _form(request, user, 400, problem="reason")
    normalised = await _value(request, kind, value, image)
    if not normalised:
        return _form(request, user, 400, problem="value")
    engine = request.app.state.store.engine
    entry = add_entry(
        engine,
        kind=kind,
        value=normalised,
        label=label.strip(),
        created_by=user.username,
        zone=user.zone,
    )
    request.app.state.audit.record(
        actor=user.username,
        action="watchlist_change",
        zone=user.zone,
        object_type="watch_entry",
        object_id=str(entry.id),
        reason=reason.strip(),
        details={"change": "add", "kind": kind, "value": normalised, "label": entry.label},
    )
    scan_alerts(engine)
    return RedirectResponse("/watchlists", status_code=303)


@router.post("/watchlists/{entry_id}/deactivate", dependencies=[CSRF])
async def deactivate(
    request: Request,
    user: Investigator,
    entry_id: int,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not reason.strip():
        return _form(request, user, 400, problem="reason")
    try:
        entry = deactivate_entry(request.app.state.store.engine, entry_id=entry_id)
    except StorageError:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    request.app.state.audit.record(
        actor=user.username,
        action="watchlist_change",
        zone=user.zone,
        object_type="watch_entry",
        object_id=str(entry.id),
        reason=reason.strip(),
        details={"change": "deactivate", "kind": entry.kind, "value": entry.value},
    )
    return RedirectResponse("/watchlists", status_code=303)


@router.post("/alerts/{alert_id}/close", dependencies=[CSRF])
async def close(request: Request, user: Investigator, alert_id: int) -> Response:
    try:
        close_alert(request.app.state.store.engine, alert_id=alert_id)
    except StorageError:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    request.app.state.audit.record(
        actor=user.username,
        action="watchlist_change",
        zone=user.zone,
        object_type="alert",
        object_id=str(alert_id),
        details={"change": "close_alert"},
    )
    back = request.headers.get("referer", "")
    return RedirectResponse("/dashboard" if "/dashboard" in back else "/watchlists", 303)
