"""A synthetic network of many ads joined by every kind of link (test data, no real person):
groups of ads sharing a phone, other groups sharing a messaging handle, the groups joined by
similar (not identical) photos and by text templates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipeline.types import (
    Analysis,
    Contact,
    Edge,
    ImageRef,
    Network,
    PhoneMatch,
    Place,
    RawAd,
    Span,
)
from storage.repository import Store

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
ZONES = ("5339", "5340", "5341", "5342", "5343", "5344")
SITE = "demo-static"
NAMES = ("Lina", "Maya", "Sofia", "Nora", "Eva", "Iris", "Jade", "Lou", "Zoé", "Mila")


def phone(group: int) -> str:
    return f"+3247{group:07d}"


def handle(group: int) -> str:
    return f"+3249{group:07d}"


def phash(i: int) -> str:
    return f"{(0x5A5A5A5A00000000 + i * 0x10001):016x}"


def ads_and_network(
    n: int, *, network_id: str = "big-1", dated: bool = True
) -> tuple[list[tuple[RawAd, Analysis]], Network]:
    ads: list[tuple[RawAd, Analysis]] = []
    for i in range(n):
        title = f"{NAMES[i % len(NAMES)]} annonce {i}" + (" — nouvelle en ville" if i % 3 else "")
        text = f"{title}. Appelle-moi. Ref {i}."
        raw = RawAd(
            site=SITE,
            ad_id=f"big{i:03d}",
            url=f"http://127.0.0.1:9/ads/big{i:03d}",
            title=title,
            text=text,
            location_text="Bruxelles",
            fetched_at=T0 + timedelta(milliseconds=10 * i),  # all fetched within 2 s
            posted_at=T0 + timedelta(hours=7 * i) if dated else None,
            images=(ImageRef(f"http://127.0.0.1:9/img/{i}.png", phash(i), phash(i)),),
        )
        quote = Span("text", 0, 5, text[:5])
        analysis = Analysis(
            site=SITE,
            ad_id=raw.ad_id,
            phones=(PhoneMatch(phone(i // 10), "BE", False, (quote,)),),
            contacts=(Contact("whatsapp", handle(i // 15), (quote,)),),
            place=Place(None, ZONES[(i // 7) % len(ZONES)], None, True, ()),
            images=raw.images,
            minor_score=0.8 if i % 4 == 0 else 0.1,
            trafficking_score=0.3,
            flags=("minor",) if i % 4 == 0 else (),
            model_version="test",
        )
        ads.append((raw, analysis))
    keys = [(SITE, raw.ad_id) for raw, _ in ads]
    edges: list[Edge] = []
    for i in range(1, n):
        if i % 10:
            edges.append(Edge(keys[i - i % 10], keys[i], "phone", phone(i // 10)))
        if i % 15:
            edges.append(Edge(keys[i - i % 15], keys[i], "contact", f"whatsapp:{handle(i // 15)}"))
        if i % 10 == 0:  # the phone groups are joined by a similar photo (3 bits apart)
            edges.append(Edge(keys[i - 1], keys[i], "image",
                              f"phash {phash(i - 1)} ~ {phash(i)}: 3 bits"))
        if i % 9 == 0:
            edges.append(Edge(keys[i - 4], keys[i], "text", "text ~0.91"))
    zones = tuple(sorted({a.place.zone for _, a in ads if a.place and a.place.zone}))
    network = Network(
        network_id=network_id,
        members=tuple(keys),
        edges=tuple(edges),
        phones=tuple(dict.fromkeys(phone(i // 10) for i in range(n))),
        sites=(SITE,),
        zones=zones,
        movement=zones,  # as stored by an older linker, from fetch times (must not be shown)
        first_seen=T0,
        last_seen=T0 + timedelta(seconds=2),
        risk=0.8,
    )
    return ads, network


def seed(store: Store, n: int, *, network_id: str = "big-1", dated: bool = True) -> Network:
    ads, network = ads_and_network(n, network_id=network_id, dated=dated)
    for raw, analysis in ads:
        store.save(raw, analysis, seen_at=raw.fetched_at)
    store.replace_networks([network])
    return network
