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
from vigie.web.render import page
from vigie.web.security import CSRF, Viewer

router = APIRouter()
HEX16 = re.compile(r"[0-9a-f]{16}")


def phones_in(query: str, region: str = "BE") -> list[str]:
    """The E.164 numbers written in `query`, however formatted or obfuscated."""
    return list(dict.fromkeys(p.e164 for p in find_phones(normalise(query), "text", region=region)))


def run_search(request: Request, kind: str, query: str) -> tuple[str, list[StoredAd]]:
    """The normalised query and the ads it finds."""
    engine = request.app.state.store.engine
    if kind == "phone":
        phones = phones_in(query, request.app.state.region)
        return ", ".join(phones), ads_with_phones(engine, phones=phones) if phones else []
    if kind == "alias":
        name = " ".join(query.split())
        return name, ads_with_alias(engine, alias=name) if name else []
    if kind == "image":
        h = query.strip().lower()
        return h, ads_with_image(engine, image_hash=h) if HEX16.fullmatch(h) else []
    text = query.strip()
    return text, ads_with_text(engine, text=text) if len(text) >= 3 else []


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
    normalised, ads = run_search(request, kind, q)
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
    )
