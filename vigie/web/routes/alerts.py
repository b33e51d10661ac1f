"""Watchlist alerts in groups (storage/alertgroups.py): per watch entry and per network, a page
at a time; a group's alerts; and closing a group at once with a reason, recorded in the audit
trail with every alert it closed. The zone boundary holds as for one alert: another zone's
entry cannot be closed (403, the page says why); closing a network's alerts closes the zone's
own and leaves the others open."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from storage.alertgroups import (
    Closed,
    close_entry_alerts,
    close_network_alerts,
    count_entry_groups,
    count_network_groups,
    entry_alerts,
    entry_groups,
    network_alerts,
    network_groups,
)
from storage.errors import StorageError
from storage.users import OtherZone, User, acting_zone
from vigie.web.params import MAX_ROW_ID, PageNo, RowId
from vigie.web.render import page
from vigie.web.routes.ad import other_zone
from vigie.web.security import CSRF, Investigator, Viewer

router = APIRouter()
PAGE = 50
UpTo = Annotated[int, Form(ge=1, le=MAX_ROW_ID)]
Reason = Annotated[str, Form(max_length=200)]


@router.get("/alerts")
def groups_page(
    request: Request,
    user: Viewer,
    by: Annotated[Literal["entry", "network"], Query()] = "entry",
    page_no: PageNo = 1,
) -> Response:
    engine = request.app.state.store.engine
    offset = (page_no - 1) * PAGE
    shown: list[str] = []  # the groups shown: entry ids or network ids
    zones: set[str] = set()  # the zones of the entries shown
    if by == "entry":
        total = count_entry_groups(engine)
        by_entry = entry_groups(engine, limit=PAGE, offset=offset)
        shown = [str(g.entry.id) for g in by_entry]
        zones = {g.entry.zone for g in by_entry if g.entry.zone}
        groups: list[object] = list(by_entry)
    else:
        total = count_network_groups(engine)
        by_network = network_groups(engine, limit=PAGE, offset=offset)
        shown = [g.network_id for g in by_network]
        groups = list(by_network)
    request.app.state.audit.record(
        actor=user.username,
        action="view_watchlists",
        zone=user.zone,
        object_type="alert_groups",
        details={
            "by": by,
            "groups": shown,
            "page_no": page_no,
            "zones": sorted(zones),
            "cross_zone": any(z != user.zone for z in zones),
        },
    )
    return page(
        request,
        "alerts.html",
        user=user,
        by=by,
        groups=groups,
        total=total,
        page_no=page_no,
        pages=max(1, -(-total // PAGE)),
    )


def _group_page(
    request: Request, user: User, by: str, key: str, page_no: int, status: int = 200
) -> Response:
    state = request.app.state
    engine = state.store.engine
    offset = (page_no - 1) * PAGE
    if by == "entry":
        found = entry_groups(engine, limit=1, entry_id=int(key))
        alerts = entry_alerts(engine, entry_id=int(key), limit=PAGE + 1, offset=offset)
    else:
        found = network_groups(engine, limit=1, network_id=key)  # type: ignore[assignment]
        alerts = network_alerts(engine, network_id=key, limit=PAGE + 1, offset=offset)
    state.audit.record(
        actor=user.username,
        action="view_watchlists",
        zone=user.zone,
        object_type=f"alerts_of_{by}",
        object_id=key,
        details={
            "alerts": [a.id for a in alerts[:PAGE]],
            "ads": sorted({f"{a.site}/{a.ad_id}" for a in alerts[:PAGE]}),
            "page_no": page_no,
        },
    )
    return page(
        request,
        "alert_group.html",
        user=user,
        status_code=status,
        by=by,
        key=key,
        group=found[0] if found else None,
        alerts=alerts[:PAGE],
        page_no=page_no,
        more=len(alerts) > PAGE,
        problem="reason" if status == 400 else "",
    )


@router.get("/alerts/entry/{entry_id}")
def entry_page(request: Request, user: Viewer, entry_id: RowId, page_no: PageNo = 1) -> Response:
    return _group_page(request, user, "entry", str(entry_id), page_no)


@router.get("/alerts/network/{network_id}")
def network_page(
    request: Request, user: Viewer, network_id: str, page_no: PageNo = 1
) -> Response:
    return _group_page(request, user, "network", network_id, page_no)


def _audit_close(
    request: Request, user: User, by: str, key: str, reason: str, up_to: int, closed: Closed,
    **extra: object,
) -> None:
    request.app.state.audit.record(
        actor=user.username,
        action="watchlist_change",
        zone=user.zone,
        object_type=f"alerts_of_{by}",
        object_id=key,
        reason=reason.strip(),
        details={
            "change": "close_alerts",
            "alerts": closed.ranges,
            "count": len(closed.ids),
            "up_to": up_to,
            "left_open": closed.left_open,
            **extra,
        },
    )


@router.post("/alerts/entry/{entry_id}/close", dependencies=[CSRF])
def close_entry(
    request: Request, user: Investigator, entry_id: RowId, up_to: UpTo, reason: Reason = ""
) -> Response:
    if not reason.strip():
        return _group_page(request, user, "entry", str(entry_id), 1, status=400)
    try:
        closed = close_entry_alerts(
            request.app.state.store.engine,
            entry_id=entry_id,
            up_to=up_to,
            for_zone=acting_zone(user),
        )
    except OtherZone as exc:
        return other_zone(request, user, exc)
    except StorageError:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    _audit_close(request, user, "entry", str(entry_id), reason, up_to, closed)
    return RedirectResponse("/alerts?by=entry", status_code=303)


@router.post("/alerts/network/{network_id}/close", dependencies=[CSRF])
def close_network(
    request: Request, user: Investigator, network_id: str, up_to: UpTo, reason: Reason = ""
) -> Response:
    if not reason.strip():
        return _group_page(request, user, "network", network_id, 1, status=400)
    try:
        closed = close_network_alerts(
            request.app.state.store.engine,
            network_id=network_id,
            up_to=up_to,
            for_zone=acting_zone(user),
        )
    except StorageError:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    _audit_close(request, user, "network", network_id, reason, up_to, closed,
                 acting_zone=acting_zone(user) or "all")
    return RedirectResponse("/alerts?by=network", status_code=303)
