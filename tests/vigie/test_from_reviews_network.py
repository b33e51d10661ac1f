"""`vigie train --from-reviews`: reviewed ads carry the real sizes of their stored networks."""

from __future__ import annotations

from pathlib import Path

from pipeline.analyze import analyze
from pipeline.types import Edge, Network, RawAd
from storage.repository import Store
from storage.reviews import record_decision, reviewed_network_sizes
from vigie.commands.model import StoredReviews, reviewed_examples


def test_reviewed_examples_carry_the_stored_network_size(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as store:
        ads = [
            RawAd("s", str(i), "", "Lina", f"Toute jeune, 16 ans. 0470 11 22 3{i % 2}.")
            for i in range(4)
        ]
        for raw in ads:
            store.save(raw, analyze(raw))
        store.replace_networks(
            [Network("N1", (("s", "0"), ("s", "2")), (Edge(("s", "0"), ("s", "2"), "phone", "x"),))]
        )
        for raw in ads[:2]:
            record_decision(
                store.engine,
                site="s",
                ad_id=raw.ad_id,
                actor="ana",
                zone="5339",
                decision="confirm",
            )
        examples = reviewed_examples(
            StoredReviews(store.engine), network_sizes=reviewed_network_sizes(store.engine)
        )
    assert {e.group: e.features.network_size for e in examples} == {
        "review:s:0": 2,
        "review:s:1": 1,
    }
