"""The network size (ads sharing a contact or photo, itself included) is a learned feature of the
shipped model, drawn in the synthetic data as a modest, overlapping effect (not a label leak)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from models.data.build import OUT, build
from models.types import Features
from pipeline.analyze import default_model

TEXT = "Disponible 24h/24 et 7j/7."  # one weak cue: a mid-low score, far from saturation


def _rows(path: Path = OUT) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_the_shipped_model_learned_a_weight_for_the_network_size() -> None:
    model = default_model()
    minor, trafficking = model.weights["network:log_size"]
    assert trafficking > 0.1
    assert abs(minor) < trafficking  # a network says more about trafficking than about age
    alone = model.assess({"text": TEXT}, Features(network_size=1))
    shared = model.assess({"text": TEXT}, Features(network_size=20))
    assert shared.trafficking_score > alone.trafficking_score
    hit = next(h for h in shared.hits if h.category == "shared_contact")
    assert hit.source == "network"
    assert hit.weight > 0
    assert not [h for h in alone.hits if h.category == "shared_contact"]


def test_the_shipped_synthetic_data_is_the_builders_output() -> None:
    assert _rows() == build()


def test_network_sizes_overlap_between_classes() -> None:
    sizes: dict[bool, list[int]] = defaultdict(list)
    for row in _rows():
        size = row["network_size"]
        assert isinstance(size, int)
        assert 1 <= size <= 40
        sizes[bool(row["trafficking"])].append(size)
    for positive, found in sizes.items():
        alone = sum(s == 1 for s in found) / len(found)
        big = sum(s >= 7 for s in found) / len(found)
        # both classes have lone ads and big networks: the size shifts the odds, never decides
        assert 0.15 < alone < 0.7, (positive, alone)
        assert 0.05 < big < 0.5, (positive, big)
    share_big = {p: sum(s >= 7 for s in f) / len(f) for p, f in sizes.items()}
    assert share_big[True] > share_big[False]
