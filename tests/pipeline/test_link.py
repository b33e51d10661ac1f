"""pipeline.link: networks from shared phones, handles, images and texts; incremental."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from pipeline.link import LinkConfig, Linker, link, network_id
from pipeline.types import Alias, Analysis, Contact, ImageRef, PhoneMatch, Place, RawAd


def ad(
    site: str,
    ad_id: str,
    *,
    phones: tuple[str, ...] = (),
    contacts: tuple[tuple[str, str], ...] = (),
    zone: str | None = None,
    alias: str | None = None,
    day: int = 1,
    score: float = 0.0,
) -> tuple[RawAd, Analysis]:
    raw = RawAd(
        site,
        ad_id,
        f"http://127.0.0.1/{ad_id}",
        "t",
        "x",
        posted_at=datetime(2026, 10, day, tzinfo=UTC),
    )
    analysis = Analysis(
        site,
        ad_id,
        phones=tuple(PhoneMatch(p, "BE", False, ()) for p in phones),
        contacts=tuple(Contact(k, v, ()) for k, v in contacts),
        aliases=(Alias(alias, ()),) if alias else (),
        place=Place("X", zone, None, True, ()) if zone else None,
        trafficking_score=score,
    )
    return raw, analysis


def test_ads_sharing_a_phone_form_one_network_across_sites_and_zones() -> None:
    items = [
        ad("a", "1", phones=("+32470000001",), zone="5344", alias="Lola", day=1),
        ad("b", "2", phones=("+32470000001",), zone="5341", alias="Bella", day=5),
        ad("a", "3", phones=("+32470000001", "+32470000002"), zone="5339", alias="Mia", day=9),
        ad("a", "4", phones=("+32470000002",), zone="5339", day=12),
        ad("a", "5", phones=("+32470000099",), zone="5342"),
    ]
    (net,) = link(items)
    assert set(net.members) == {("a", "1"), ("b", "2"), ("a", "3"), ("a", "4")}
    assert net.zones == ("5339", "5341", "5344")
    assert net.movement == ("5344", "5341", "5339")
    assert net.sites == ("a", "b")
    assert net.aliases == ("Bella", "Lola", "Mia")
    assert net.first_seen == datetime(2026, 10, 1, tzinfo=UTC)
    assert net.last_seen == datetime(2026, 10, 12, tzinfo=UTC)
    assert len(net.edges) == 3  # a spanning set: n - 1 edges, each with its evidence
    assert {e.evidence for e in net.edges} == {"+32470000001", "+32470000002"}


def test_messaging_handles_link_but_urls_do_not() -> None:
    items = [
        ad("a", "1", contacts=(("telegram", "lola_bxl"), ("url", "http://site/x"))),
        ad("a", "2", contacts=(("telegram", "lola_bxl"),)),
        ad("a", "3", contacts=(("url", "http://site/x"),)),
    ]
    (net,) = link(items)
    assert set(net.members) == {("a", "1"), ("a", "2")}
    assert net.edges[0].kind == "contact"


def test_lone_ads_are_not_networks() -> None:
    assert link([ad("a", "1", phones=("+32470000001",)), ad("a", "2")]) == []


def test_network_id_is_stable_when_ads_arrive() -> None:
    first = link([ad("a", "1", phones=("+1",)), ad("a", "2", phones=("+1",))])
    later = link(
        [ad("a", "3", phones=("+1",)), ad("a", "1", phones=("+1",)), ad("a", "2", phones=("+1",))]
    )
    assert first[0].network_id == later[0].network_id == network_id([("a", "1")])


def test_risk_grows_with_the_spread() -> None:
    narrow = link(
        [
            ad("a", "1", phones=("+1",), zone="5339", score=0.5),
            ad("a", "2", phones=("+1",), zone="5339", score=0.5),
        ]
    )
    wide = link(
        [
            ad("a", "1", phones=("+1",), zone="5339", alias="A", score=0.5),
            ad("b", "2", phones=("+1",), zone="5344", alias="B", score=0.5),
            ad("a", "3", phones=("+1",), zone="5341", alias="C", score=0.5),
        ]
    )
    assert 0.5 <= narrow[0].risk < wide[0].risk <= 1.0


def _with_images(
    site: str, ad_id: str, phashes: tuple[str, ...], text: str = "x", **kw: object
) -> tuple[RawAd, Analysis]:
    raw, analysis = ad(site, ad_id, **kw)  # type: ignore[arg-type]
    refs = tuple(ImageRef(f"http://127.0.0.1/{ad_id}/{i}.jpg", h) for i, h in enumerate(phashes))
    return replace(raw, images=refs, text=text), replace(analysis, images=refs)


TEMPLATE = (
    "Nouvelle à Bruxelles ! {name}, disponible 24h/24 et 7j/7. Rendez-vous uniquement sur appel "
    "au {phone}, pas de SMS ni de numéro masqué. Discrétion assurée, quartier de la gare du Midi, "
    "parking facile, à bientôt."
)


def test_near_duplicate_images_link_within_the_radius_only() -> None:
    base = 0x8F3A5C7E12345678
    items = [
        _with_images("a", "1", (f"{base:016x}",), zone="5339", day=1),
        _with_images("b", "2", (f"{base ^ 0b1011011:016x}",), zone="5340", day=3),  # 5 bits
        _with_images("a", "3", (f"{base ^ ((1 << 12) - 1) << 40:016x}",)),  # 12 bits away
        _with_images("a", "4", (f"{base:016x}",)),  # the same file again
    ]
    (net,) = link(items)
    assert set(net.members) == {("a", "1"), ("b", "2"), ("a", "4")}
    assert {e.kind for e in net.edges} == {"image"}
    assert sorted(e.evidence.rsplit(": ", 1)[1] for e in net.edges) == ["0 bits", "5 bits"]
    assert net.movement == ("5339", "5340")
    (wide,) = link(items, LinkConfig(image_radius=12))
    assert len(wide.members) == 4
    assert link(items, LinkConfig(image_radius=None)) == []


def test_a_shared_template_links_despite_other_names_and_phones() -> None:
    items = [
        ad("a", "1", alias="Lola", zone="5339"),
        ad("b", "2", alias="Bella Rose", zone="5344"),
        ad("a", "3", alias="Mia"),
    ]
    texts = [
        TEMPLATE.format(name="Lola", phone="0470 12 34 56"),
        TEMPLATE.format(name="Bella Rose", phone="+32 486 65 43 21"),
        "Appartement lumineux à louer près de la place Flagey, deux chambres, cuisine équipée, "
        "libre au premier mars, visite sur rendez-vous avec l'agence du quartier.",
    ]
    items = [(replace(raw, text=t), a) for (raw, a), t in zip(items, texts, strict=True)]
    (net,) = link(items)
    assert set(net.members) == {("a", "1"), ("b", "2")}
    (edge,) = net.edges
    assert edge.kind == "text"
    assert edge.evidence.startswith("text ~")
    assert float(edge.evidence.removeprefix("text ~")) >= 0.8
    assert link(items, LinkConfig(text_threshold=None)) == []


def _mixed_corpus() -> list[tuple[RawAd, Analysis]]:
    """Ads joined by every kind of edge, in an order where later ads merge earlier groups."""
    h = 0x0123456789ABCDEF
    return [
        ad("a", "1", phones=("+32470000001",), zone="5339", day=1),
        _with_images("a", "2", (f"{h:016x}",), zone="5340", day=2),
        ad("b", "3", contacts=(("telegram", "lola_bxl"),), zone="5341", day=3),
        ad("b", "4", phones=("+32470000009",), day=4),
        _with_images("b", "5", (f"{h ^ 3:016x}",), phones=("+32470000001",), day=5),
        ad("a", "6", contacts=(("telegram", "lola_bxl"),), phones=("+32470000009", "+32470000001"),
           day=6),
        ad("a", "7", phones=("+32470000042",), day=7),
        ad("c", "8", phones=("+32470000077",), day=8),
        ad("c", "9", phones=("+32470000077",), day=9),
    ]


def test_incremental_linking_equals_linking_all_at_once() -> None:
    items = _mixed_corpus()
    whole = link(items)
    for cut in range(1, len(items)):
        linker = Linker()
        assert linker.add(items[:cut]) == cut
        linker.add(items[cut:] + items[:1])  # an ad seen again is skipped
        assert len(linker) == len(items)
        assert [(n.network_id, n.members, n.zones, n.movement) for n in linker.networks()] == [
            (n.network_id, n.members, n.zones, n.movement) for n in whole
        ]
        assert all(len(n.edges) == len(n.members) - 1 for n in linker.networks())
    assert [len(n.members) for n in whole] == [6, 2]


def test_ids_per_ad_and_every_edge_joins_members() -> None:
    linker = Linker()
    linker.add(_mixed_corpus())
    ids = linker.network_ids()
    assert ids[("a", "7")] is None
    assert ids[("a", "1")] == ids[("b", "3")] == ids[("b", "5")] == network_id([("a", "1")])
    assert ids[("c", "8")] == ids[("c", "9")] != ids[("a", "1")]
    for net in linker.networks():
        members = set(net.members)
        assert all(e.a in members and e.b in members and e.evidence for e in net.edges)
        assert {ids[m] for m in members} == {net.network_id}


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="image_radius"):
        LinkConfig(image_radius=40)
    with pytest.raises(ValueError, match="text_threshold"):
        LinkConfig(text_threshold=0.0)


def test_one_phone_behind_many_aliases_raises_the_risk() -> None:
    one_phone = link([ad("a", str(i), phones=("+1",), alias=f"N{i}", score=0.3) for i in range(3)])
    many_phones = link(
        [ad("a", str(i), phones=("+1", f"+2{i}"), alias=f"N{i}", score=0.3) for i in range(3)]
    )
    assert one_phone[0].risk > many_phones[0].risk


def test_linking_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    items = [ad("a", "1", phones=("+32470000001",)), ad("b", "2", phones=("+32470000001",))]
    assert gc.isenabled()
    assert len(link(items)) == 1
    assert gc.isenabled()  # paused while linking, then back on
    gc.disable()
    try:
        assert len(link(items)) == 1
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_movement_comes_from_posting_dates_only() -> None:
    # Fetch times say when Vigie looked, not when the ad moved: no movement is claimed from them.
    fetched = datetime(2026, 10, 1, tzinfo=UTC)
    items = []
    for i, zone in enumerate(("5339", "5344", "5339", "5344")):
        raw, analysis = ad("a", str(i), phones=("+32470000001",), zone=zone)
        items.append((replace(raw, posted_at=None, fetched_at=fetched), analysis))
    (net,) = link(items)
    assert net.movement == ()
    assert net.first_seen == fetched  # first and last seen still read the fetch time
    # Posting dates known for two of them: the movement between those two only.
    items[1] = (replace(items[1][0], posted_at=datetime(2026, 9, 2, tzinfo=UTC)), items[1][1])
    items[2] = (replace(items[2][0], posted_at=datetime(2026, 9, 5, tzinfo=UTC)), items[2][1])
    (net,) = link(items)
    assert net.movement == ("5344", "5339")
