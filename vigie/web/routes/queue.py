"""The queue: flagged ads ranked by score, with filters and paging."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storage.users import ZONES
from storage.webqueue import FLAG_FILTERS, STATUS_FILTERS, QueueFilter, queue, sites
from vigie.web.render import page
from vigie.web.security import Viewer

router = APIRouter()
PAGE_SIZE = 25


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/queue")
async def queue_page(
    request: Request,
    user: Viewer,
    flag: str = "any",
    zone: str = "",
    site: str = "",
    status: str = "all",
    since: str = "",
    until: str = "",
    page_no: int = 1,
) -> Response:
    engine = request.app.state.store.engine
    start, end = _day(since), _day(until)
    filters = QueueFilter(
        flag=flag if flag in FLAG_FILTERS else "any",
        zone=zone if zone in ZONES else None,
        site=site or None,
        status=status if status in STATUS_FILTERS else "all",
        since=datetime.combine(start, time(), UTC) if start else None,
        until=datetime.combine(end, time(), UTC) + timedelta(days=1) if end else None,
    )
    page_no = max(page_no, 1)
    rows, total = queue(engine, filter=filters, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return page(
        request,
        "queue.html",
        user=user,
        rows=rows,
        total=total,
        page_no=page_no,
        pages=pages,
        filters=filters,
        since=start.isoformat() if start else "",
        until=end.isoformat() if end else "",
        zones=ZONES,
        sites=sites(engine),
        flag_filters=FLAG_FILTERS,
        status_filters=STATUS_FILTERS,
        query=request.url.query,
    )
