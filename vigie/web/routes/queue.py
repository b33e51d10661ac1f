"""The queue: flagged ads ranked by score, with filters and paging."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storage.users import ZONES
from storage.webqueue import FLAG_FILTERS, STATUS_FILTERS, QueueFilter, queue, sites
from vigie.web.dates import DayRange
from vigie.web.params import PageNo
from vigie.web.render import page
from vigie.web.security import Viewer

router = APIRouter()
PAGE_SIZE = 25



@router.get("/queue")
def queue_page(
    request: Request,
    user: Viewer,
    flag: str = "any",
    zone: str = "",
    site: str = "",
    status: str = "all",
    since: str = "",
    until: str = "",
    page_no: PageNo = 1,
) -> Response:
    engine = request.app.state.store.engine
    days = DayRange.parse(since, until)
    filters = QueueFilter(
        flag=flag if flag in FLAG_FILTERS else "any",
        zone=zone if zone in ZONES else None,
        site=site or None,
        status=status if status in STATUS_FILTERS else "all",
        since=days.since,
        until=days.until,
    )
    rows, total = queue(engine, filter=filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    shown_zones = sorted({row.ad.zone for row in rows if row.ad.zone})
    request.app.state.audit.record(
        actor=user.username,
        action="view_queue",
        zone=user.zone,
        object_type="queue",
        details={
            "filters": {"flag": filters.flag, "zone": filters.zone, "site": filters.site,
                        "status": filters.status, "since": since, "until": until},
            "page_no": page_no,
            "ads": [f"{row.ad.site}/{row.ad.ad_id}" for row in rows],
            "zones": shown_zones,
            "cross_zone": any(z != user.zone for z in shown_zones),
        },
    )
    pages = max(1, -(-total // PAGE_SIZE))
    return page(
        request,
        "queue.html",
        user=user,
        rows=rows,
        total=total,
        page_no=page_no,
        pages=pages,
        rank_offset=(page_no - 1) * PAGE_SIZE,
        filters=filters,
        since=days.start.isoformat() if days.start else "",
        until=days.end.isoformat() if days.end else "",
        zones=ZONES,
        sites=sites(engine),
        flag_filters=FLAG_FILTERS,
        status_filters=STATUS_FILTERS,
        query=request.url.query,
    )
