"""Search by phone (any format, normalised to E.164), alias, image hash or text. Every search
needs a case reference or reason, recorded in the audit log with what was searched."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from pipeline.phones import find_phones
from pipeline.text import normalise
from storage.records import StoredAd
from storage.webqueries import ads_with_alias, ads_with_image, ads_with_phones, ads_with_text
from vigie.web.labels import SEARCH_KINDS
from vigie.web.params import MAX_PAGE
from vigie.web.render import page
from vigie.web.security import CSRF, Viewer

router = APIRouter()
PAGE_SIZE = 50
HEX16 = re.compile(r"[0-9a-f]{16}")


def phones_in(query: str, region: str = "BE") -> list[str]:
    """The E.164 numbers written in `query`, however formatted or obfuscated."""
    return list(dict.fromkeys(p.e164 for p in find_phones(normalise(query), "text", region=region)))


def run_search(
    request: Request, kind: str, query: str, page_no: int = 1
) -> tuple[str, list[StoredAd], bool]:
    """The normalised query, the ads it finds on page `page_no`, and whether more follow."""
    engine = request.app.state.store.engine
    page = {"limit": PAGE_SIZE + 1, "offset": (page_no - 1) * PAGE_SIZE}
    normalised, ads = query, []
    if kind == "phone":
        phones = phones_in(query, request.app.state.region)
        normalised = ", ".join(phones)
        ads = ads_with_phones(engine, phones=phones, **page) if phones else []
    elif kind == "alias":
        normalised = " ".join(query.split())
        ads = ads_with_alias(engine, alias=normalised, **page) if normalised else []
    elif kind == "image":
        normalised = query.strip().lower()
        if HEX16.fullmatch(normalised):
            ads = ads_with_image(
                engine, image_hash=normalised, index=request.app.state.image_hashes, **page
            )
    else:
        normalised = query.strip()
        ads = ads_with_text(engine, text=normalised, **page) if len(normalised) >= 3 else []
    return normalised, ads[:PAGE_SIZE], len(ads) > PAGE_SIZE


@router.get("/search")
def search_form(request: Request, user: Viewer) -> Response:
    return page(request, "search.html", user=user, kind="phone", q="", reason="", result=None)


@router.post("/search", dependencies=[CSRF])
def search(
    request: Request,
    user: Viewer,
    kind: Annotated[str, Form()],
    q: Annotated[str, Form(max_length=200)],
    reason: Annotated[str, Form(max_length=200)] = "",
    page_no: Annotated[int, Form(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    kind = kind if kind in SEARCH_KINDS else "text"
    reason = reason.strip()
    if not reason:
        return page(
            request,
            "search.html",
            user=user,
            kind=kind,
            q=q,
            reason="",
            result=None,
            missing_reason=True,
            status_code=400,
        )
    normalised, ads, more = run_search(request, kind, q, page_no)
    request.app.state.audit.record(
        actor=user.username,
        action="search",
        zone=user.zone,
        object_type=kind,
        object_id=normalised or q.strip(),
        reason=reason,
        details={
            "query": q.strip(),
            "hits": len(ads),
            "page_no": page_no,
            "zones": sorted({ad.zone for ad in ads if ad.zone}),
            "cross_zone": any(ad.zone not in (None, user.zone) for ad in ads),
        },
    )
    return page(
        request,
        "search.html",
        user=user,
        kind=kind,
        q=q,
        reason=reason,
        result=ads,
        normalised=normalised,
        page_no=page_no,
        more=more,
    )
