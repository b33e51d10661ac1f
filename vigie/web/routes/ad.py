"""One ad: its text with every piece of evidence highlighted, scores and reasons, extracted
values, image hashes, versions, related ads — and the investigators' decisions on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from storage.errors import UnknownAd
from storage.reviews import DECISIONS, MAX_NOTE, record_decision, reviews_of
from storage.users import User
from storage.webqueries import related_ads
from vigie.web.highlight import marks_of, pieces
from vigie.web.render import ad_path, page
from vigie.web.security import CSRF, Investigator, Viewer

router = APIRouter()

FIELDS = (
    ("title", "title"),
    ("text", "text"),
    ("location", "location_text"),
    ("contact", "contact_text"),
)


def _not_found(request: Request, user: User) -> Response:
    return page(request, "error.html", user=user, status_code=404, error="not_found")


@router.get("/ads/{site}/{ad_id}")
async def ad_page(request: Request, user: Viewer, site: str, ad_id: str) -> Response:
    state = request.app.state
    store = state.store
    ad = store.get_ad(site=site, ad_id=ad_id)
    if ad is None:
        return _not_found(request, user)
    state.audit.record(
        actor=user.username,
        action="view_ad",
        zone=user.zone,
        object_type="ad",
        object_id=f"{site}/{ad_id}",
    )
    marks = marks_of(ad.analysis)
    fields = {
        name: pieces(getattr(ad.raw, attr), name, marks)
        for name, attr in FIELDS
        if getattr(ad.raw, attr)
    }
    return page(
        request,
        "ad.html",
        user=user,
        ad=ad,
        fields=fields,
        marks=marks,
        versions=store.versions(site=site, ad_id=ad_id),
        related=related_ads(store.engine, site=site, ad_id=ad_id),
        reviews=reviews_of(store.engine, site=site, ad_id=ad_id),
        network_id=store.network_of(site=site, ad_id=ad_id),
        decisions=DECISIONS,
        max_note=MAX_NOTE,
        saved=request.query_params.get("saved") == "1",
    )


@router.post("/ads/{site}/{ad_id}/decision", dependencies=[CSRF])
async def decide(
    request: Request,
    user: Investigator,
    site: str,
    ad_id: str,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=MAX_NOTE)] = "",
) -> Response:
    state = request.app.state
    if decision not in DECISIONS:
        return page(
            request, "error.html", user=user, status_code=400, error="bad_request", message=decision
        )
    try:
        review = record_decision(
            state.store.engine,
            site=site,
            ad_id=ad_id,
            actor=user.username,
            zone=user.zone,
            decision=decision,
            note=note.strip(),
        )
    except UnknownAd:
        return _not_found(request, user)
    state.audit.record(
        actor=user.username,
        action="decision",
        zone=user.zone,
        object_type="ad",
        object_id=f"{site}/{ad_id}",
        reason=review.note or None,
        details={"decision": decision, "flags": list(review.flags)},
    )
    return RedirectResponse(ad_path(site, ad_id) + "?saved=1", status_code=303)
