"""Storage of the network feature: `vigie train --from-reviews` learns it from the real sizes of
the stored networks (`reviewed_network_sizes`: each reviewed ad's largest network's member
count), and a rescore after linking replaces the current analysis without a new version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pipeline.analyze import example
from pipeline.types import AdKey, Analysis, Edge, Network, RawAd
from storage.repository import Store
from storage.reviews import labelled_ads, record_decision, reviewed_network_sizes

Make = Callable[..., tuple[RawAd, Analysis]]
A1, A2, B1, B2, B3 = ("a", "1"), ("a", "2"), ("b", "1"), ("b", "2"), ("b", "3")


def _net(network_id: str, *members: AdKey) -> Network:
    edges = tuple(
        Edge(x, y, "phone", "+32470000001") for x, y in zip(members, members[1:], strict=False)
    )
    return Network(network_id=network_id, members=members, edges=edges)


def test_reviewed_ads_carry_their_largest_networks_size(store: Store, ad: Make) -> None:
    for site, ad_id in (A1, A2, B1, B2, B3):
        store.save(*ad(site, ad_id))
    store.replace_networks([_net("N1", A1, A2, B1), _net("N2", A2, B2)])
    for (site, ad_id), decision in ((A1, "confirm"), (A2, "dismiss"), (B3, "confirm")):
        record_decision(
            store.engine, site=site, ad_id=ad_id, actor="ana", zone="5339", decision=decision
        )
    sizes = reviewed_network_sizes(store.engine)
    # B2 is in a network but unreviewed; B3 is reviewed but alone (absent: size 1)
    assert sizes == {A1: 3, A2: 3}
    examples = {
        (raw.site, raw.ad_id): example(
            raw,
            {k: bool(v) for k, v in labels.items()},
            network_size=sizes.get((raw.site, raw.ad_id), 1),
        )
        for raw, labels in labelled_ads(store.engine)
    }
    assert {k: e.features.network_size for k, e in examples.items()} == {A1: 3, A2: 3, B3: 1}
    store.replace_networks([_net("N3", A1, B3)])
    assert reviewed_network_sizes(store.engine) == {A1: 2, B3: 2}


def test_a_rescore_is_not_a_new_version_and_skips_a_changed_ad(store: Store, ad: Make) -> None:
    raw, analysis = ad("a", "1")
    store.save(raw, analysis)
    before = store.get_ad(site="a", ad_id="1")
    assert before is not None
    rescored = replace(analysis, trafficking_score=0.97, flags=("trafficking", "minor"))
    assert store.rescore([(before.content_sha256, rescored, 5)]) == 1
    after = store.get_ad(site="a", ad_id="1")
    assert after is not None
    assert (after.version, after.last_seen, after.network_size) == (1, before.last_seen, 5)
    assert (after.trafficking_score, after.flags) == (0.97, ("trafficking", "minor"))
    assert [s.ad_id for s in store.list_ads(flag="minor")] == ["1"]
    assert store.networked_sizes() == {("a", "1"): 5}
    # the content changed since the rescore was computed: nothing is written
    changed, fresh = ad("a", "1", text="Autre texte, appelez le 0470 00 00 01.")
    store.save(changed, fresh)
    assert store.rescore([(before.content_sha256, rescored, 7)]) == 0
    now = store.get_ad(site="a", ad_id="1")
    assert now is not None
    assert (now.version, now.network_size, now.flags) == (2, 0, ("trafficking",))
    assert store.networked_sizes() == {}
