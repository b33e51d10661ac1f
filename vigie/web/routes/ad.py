"""One ad: its text with every piece of evidence highlighted, scores and reasons, extracted
values, image hashes, versions, related ads — and the investigators' decisions on it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from storage.errors import UnknownAd
from storage.reviews import (
    DECISIONS,
    LABELLED_FLAGS,
    MAX_NOTE,
    Review,
    record_decision,
    reviews_of,
)
from storage.users import OtherZone, User, acting_zone
from storage.webqueries import related_ads
from vigie.web.adkey import parse_ad_key
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


def other_zone(request: Request, user: User, exc: OtherZone) -> Response:
    """403: the thing belongs to another zone (README: the zone boundary)."""
    return page(
        request, "error.html", user=user, status_code=403, error="other_zone", owner=exc.owner
    )


def zone_details(user: User, owner: str | None) -> dict[str, object]:
    """What the audit trail keeps of a read's zones: the owner's, and whether it crossed."""
    return {"owner_zone": owner, "cross_zone": owner is not None and owner != user.zone}


@router.get("/ad/{key}")
def ad_page(request: Request, user: Viewer, key: str) -> Response:
    state = request.app.state
    store = state.store
    named = parse_ad_key(key)
    ad = store.get_ad(site=named[0], ad_id=named[1]) if named else None
    if ad is None:
        return _not_found(request, user)
    site, ad_id = ad.site, ad.ad_id
    state.audit.record(
        actor=user.username,
        action="view_ad",
        zone=user.zone,
        object_type="ad",
        object_id=f"{site}/{ad_id}",
        details=zone_details(user, ad.zone),
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
        may_decide=user.can("investigator")
        and (acting_zone(user) is None or ad.zone in (None, user.zone)),
        saved=request.query_params.get("saved") == "1",
    )


@router.post("/ad/{key}/decision", dependencies=[CSRF])
def decide(
    request: Request,
    user: Investigator,
    key: str,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=MAX_NOTE)] = "",
    target: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    state = request.app.state
    if decision not in DECISIONS or target not in ("", *LABELLED_FLAGS):
        return page(
            request, "error.html", user=user, status_code=400, error="bad_request", message=decision
        )
    named = parse_ad_key(key)
    if named is None:
        return _not_found(request, user)
    site, ad_id = named
    try:
        review = record_decision(
            state.store.engine,
            site=site,
            ad_id=ad_id,
            actor=user.username,
            zone=user.zone,
            decision=decision,
            note=note.strip(),
            for_zone=acting_zone(user),
            target=target or None,
        )
    except UnknownAd:
        return _not_found(request, user)
    except OtherZone as exc:
        return other_zone(request, user, exc)
    state.audit.record(
        actor=user.username,
        action="decision",
        zone=user.zone,
        object_type="ad",
        object_id=f"{site}/{ad_id}",
        reason=review.note or None,
        details={
            "decision": decision,
            "flags": list(review.flags),
            "target": review.target,
            **review_zone(user, review),
        },
    )
    return RedirectResponse(ad_path(site, ad_id) + "?saved=1", status_code=303)


def review_zone(user: User, review: Review) -> dict[str, object]:
    return zone_details(user, review.ad_zone)
