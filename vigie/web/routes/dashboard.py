"""The dashboard: ads per zone, site and day with the flagged share, and the open alerts: those
of the watchlists, and those raised by other zones' imported indicators (raised when the zone
links its ads or imports a file, where the shared pseudonymisation key is at hand)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from storage.alertgroups import entry_groups
from storage.errors import StorageError
from storage.exchange.alerts import close_imported_alert, list_imported_alerts
from storage.users import OtherZone, acting_zone
from storage.watchlists import list_alerts, scan_alerts
from vigie.web.charts import bar_chart
from vigie.web.params import PageNo, RowId
from vigie.web.render import page
from vigie.web.routes.ad import other_zone
from vigie.web.security import CSRF, Investigator, Viewer

router = APIRouter()
DAYS = 30
ALERTS_PAGE = 50
GROUPS = 10
"""Watch entries with open alerts shown (the most recently alerted; /alerts lists them all)."""


@router.get("/dashboard")
def dashboard(
    request: Request, user: Viewer, alerts_page: PageNo = 1, imported_page: PageNo = 1
) -> Response:
    engine = request.app.state.store.engine
    scan_alerts(engine)  # ads stored since the last look may match a watchlist
    alerts = list_alerts(engine, limit=ALERTS_PAGE + 1, offset=(alerts_page - 1) * ALERTS_PAGE)
    imported = list_imported_alerts(
        engine, limit=ALERTS_PAGE + 1, offset=(imported_page - 1) * ALERTS_PAGE
    )
    alerts_more, imported_more = len(alerts) > ALERTS_PAGE, len(imported) > ALERTS_PAGE
    alerts, imported = alerts[:ALERTS_PAGE], imported[:ALERTS_PAGE]
    request.app.state.audit.record(
        actor=user.username,
        action="view_dashboard",
        zone=user.zone,
        object_type="dashboard",
        details={"alerts": len(alerts), "imported_alerts": len(imported)},
    )
    counted = request.app.state.counts.get()
    counts = counted.value
    total, flagged = sum(counts["site"].values()), sum(counts["flagged_site"].values())
    recent = sorted(counts["day"])[-DAYS:]
    day_all = Counter({d: counts["day"][d] for d in recent})
    day_flagged = Counter({d: counts["flagged_day"][d] for d in recent})
    return page(
        request,
        "dashboard.html",
        user=user,
        total=total,
        flagged=flagged,
        share=flagged / total if total else 0.0,
        by_zone=bar_chart(counts["zone"], counts["flagged_zone"], keep_order=True),
        by_site=bar_chart(counts["site"], counts["flagged_site"]),
        by_day=bar_chart(day_all, day_flagged, keep_order=True, width=900),
        alerts=alerts,
        groups=entry_groups(engine, limit=GROUPS),
        imported_alerts=imported,
        alerts_page=alerts_page,
        alerts_more=alerts_more,
        imported_page=imported_page,
        imported_more=imported_more,
        pager_base="/dashboard",
        counts_taken_at=counted.taken_at if counted.cached else None,
    )


@router.post("/exchange-alerts/{alert_id}/close", dependencies=[CSRF])
def close_imported(
    request: Request,
    user: Investigator,
    alert_id: RowId,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not reason.strip():
        return page(request, "error.html", user=user, status_code=400, error="reason")
    try:
        alert = close_imported_alert(
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
        object_type="exchange_alert",
        object_id=str(alert_id),
        reason=reason.strip(),
        details={"change": "close_alert", "source_zone": alert.source_zone,
                 "site": alert.site, "ad_id": alert.ad_id},
    )
    return RedirectResponse("/dashboard", status_code=303)
