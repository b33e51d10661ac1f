from __future__ import annotations

from datetime import UTC, datetime

from pipeline.link import link, network_id
from pipeline.types import Alias, Analysis, Contact, PhoneMatch, Place, RawAd


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
