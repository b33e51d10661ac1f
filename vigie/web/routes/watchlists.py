"""Watchlists (phones, aliases, image hashes — a hash given, or an image hashed in memory and
discarded) and their alerts. Every view and change is recorded in the audit log, a change with
its reason. Entries and alerts belong to their zone: another zone's investigator reads them but
may not deactivate or close them (README: the zone boundary).

An uploaded image is hashed in a worker thread (never on the event loop: other users' pages go
on), at most `HASHING_AT_ONCE` at a time, and only when its header announces at most
`MAX_PIXELS` pixels.
"""

from __future__ import annotations

import re
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from pipeline.images import ImageRejected, hash_photo
from pipeline.photomatch import Photo, encode_photo
from storage.errors import StorageError
from storage.users import OtherZone, User, acting_zone
from storage.watchlists import (
    KINDS,
    InvalidEntry,
    add_entry,
    close_alert,
    deactivate_entry,
    list_alerts,
    list_entries,
    scan_alerts,
)
from vigie.web.params import PageNo, RowId
from vigie.web.render import page
from vigie.web.routes.ad import other_zone
from vigie.web.routes.search import phones_in
from vigie.web.security import CSRF, Investigator, Viewer

router = APIRouter()
HEX16 = re.compile(r"[0-9a-f]{16}")
MAX_UPLOAD = 10 * 1024 * 1024
MAX_PIXELS = 16_000_000
"""A watched photo needs no more (a 16-megapixel camera); more is refused before decoding."""
HASHING_AT_ONCE = 2
ALERTS_PAGE = 50


def _limiter(request: Request) -> CapacityLimiter:
    """The app's hashing limiter, made in its event loop on first use."""
    state = request.app.state
    limiter = getattr(state, "hashing", None)
    if not isinstance(limiter, CapacityLimiter):
        limiter = state.hashing = CapacityLimiter(HASHING_AT_ONCE)
    return limiter


def _hash_upload(data: bytes) -> str:
    """The image's hashes (pHash, dHash, DCT regions: `pipeline.photomatch.encode_photo`), each
    matched with stored hashes of its own kind; "" when it is refused (size, pixels, format,
    corrupt)."""
    try:
        phash, dhash, dct = hash_photo(data, max_bytes=MAX_UPLOAD, max_pixels=MAX_PIXELS)
    except ImageRejected:
        return ""
    return encode_photo(Photo.of(phash, dhash, dct))


def _form(
    request: Request, user: User, status: int = 200, alerts_page: int = 1, **extra: object
) -> Response:
    engine = request.app.state.store.engine
    alerts = list_alerts(engine, limit=ALERTS_PAGE + 1, offset=(alerts_page - 1) * ALERTS_PAGE)
    return page(
        request,
        "watchlists.html",
        user=user,
        status_code=status,
        entries=list_entries(engine),
        alerts=alerts[:ALERTS_PAGE],
        alerts_page=alerts_page,
        alerts_more=len(alerts) > ALERTS_PAGE,
        pager_base="/watchlists",
        kinds=KINDS,
        **extra,
    )


@router.get("/watchlists")
def watchlists_page(request: Request, user: Viewer, alerts_page: PageNo = 1) -> Response:
    request.app.state.audit.record(
        actor=user.username, action="view_watchlists", zone=user.zone, object_type="watchlists"
    )
    return _form(request, user, alerts_page=alerts_page)


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
            return await to_thread.run_sync(_hash_upload, data, limiter=_limiter(request))
        finally:
            del data
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
        return await run_in_threadpool(_form, request, user, 400, problem="reason")
    normalised = await _value(request, kind, value, image)
    # The upload is read above, in the event loop; the database work runs in the thread pool.
    return await run_in_threadpool(_add, request, user, kind, normalised, label, reason)


def _add(
    request: Request, user: User, kind: str, normalised: str, label: str, reason: str
) -> Response:
    if not normalised:
        return _form(request, user, 400, problem="value")
    engine = request.app.state.store.engine
    try:
        entry = add_entry(
            engine,
            kind=kind,
            value=normalised,
            label=label.strip(),
            created_by=user.username,
            zone=user.zone,
        )
    except InvalidEntry:
        return _form(request, user, 400, problem="value")
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
def deactivate(
    request: Request,
    user: Investigator,
    entry_id: RowId,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not reason.strip():
        return _form(request, user, 400, problem="reason")
    try:
        entry = deactivate_entry(
            request.app.state.store.engine, entry_id=entry_id, for_zone=acting_zone(user)
        )
    except OtherZone as exc:
        return other_zone(request, user, exc)
    except StorageError:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    request.app.state.audit.record(
        actor=user.username,
        action="watchlist_change",
        zone=user.zone,
        object_type="watch_entry",
        object_id=str(entry.id),
        reason=reason.strip(),
        details={
            "change": "deactivate",
            "kind": entry.kind,
            "value": entry.value,
            "owner_zone": entry.zone,
            "cross_zone": entry.zone not in (None, user.zone),
        },
    )
    return RedirectResponse("/watchlists", status_code=303)


@router.post("/alerts/{alert_id}/close", dependencies=[CSRF])
def close(
    request: Request,
    user: Investigator,
    alert_id: RowId,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not reason.strip():
        return _form(request, user, 400, problem="reason")
    try:
        close_alert(
            request.app.state.store.engine, alert_id=alert_id, for_zone=acting_zone(user)
        )
    except OtherZone as exc:
        return other_zone(request, user, exc)
    except StorageError:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    request.app.state.audit.record(
        actor=user.username,
        action="watchlist_change",
        zone=user.zone,
        object_type="alert",
        object_id=str(alert_id),
        reason=reason.strip(),
        details={"change": "close_alert"},
    )
    back = request.headers.get("referer", "")
    return RedirectResponse("/dashboard" if "/dashboard" in back else "/watchlists", 303)
