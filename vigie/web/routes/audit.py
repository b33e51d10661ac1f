"""The audit log (administrators only), filterable by user, action, zone, object and date."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storage.audit import ACTIONS
from vigie.web.dates import DayRange
from vigie.web.params import PageNo
from vigie.web.render import page
from vigie.web.security import Admin

router = APIRouter()
PAGE_SIZE = 100



@router.get("/audit")
def audit_page(
    request: Request,
    user: Admin,
    actor: str = "",
    action: str = "",
    zone: str = "",
    object_id: str = "",
    since: str = "",
    until: str = "",
    page_no: PageNo = 1,
) -> Response:
    days = DayRange.parse(since, until)
    request.app.state.audit.record(  # reading the trail is itself recorded
        actor=user.username,
        action="view_audit",
        zone=user.zone,
        object_type="audit",
        details={"actor": actor, "action": action, "zone": zone, "object_id": object_id,
                 "since": since, "until": until, "page_no": page_no},
    )
    entries = request.app.state.audit.entries(
        actor=actor or None,
        action=action if action in ACTIONS else None,
        zone=zone or None,
        object_id=object_id or None,
        since=days.since,
        until=days.until,
        limit=PAGE_SIZE + 1,
        offset=(page_no - 1) * PAGE_SIZE,
    )
    return page(
        request,
        "audit.html",
        user=user,
        entries=entries[:PAGE_SIZE],
        more=len(entries) > PAGE_SIZE,
        page_no=page_no,
        actions=sorted(ACTIONS),
        f={
            "actor": actor,
            "action": action,
            "zone": zone,
            "object_id": object_id,
            "since": days.start.isoformat() if days.start else "",
            "until": days.end.isoformat() if days.end else "",
        },
        query=request.url.query,
    )
