"""`rescore` runs only the model again on a stored analysis: it gives what `analyze` gives with
the same network size, on the labelled ads (every language, role and phone style)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.analyze import analyze, default_model, rescore
from vigie.commands.model import load_labelled


def test_rescore_equals_analyze_with_the_network_size() -> None:
    model = default_model()
    raws = [a.raw for a in load_labelled()[::23]]
    changed = 0
    shared = []
    for i, raw in enumerate(raws):
        size = (1, 2, 7, 40)[i % 4]
        crawled = analyze(raw, model=model)
        again = rescore(raw, crawled, network_size=size, network_id="N1", model=model)
        assert again == analyze(raw, model=model, network_size=size, network_id="N1")
        changed += again.trafficking_score != crawled.trafficking_score
        shared.append(any(x.category == "shared_contact" for x in again.indicators))
    # a network of 2 or more is a reason on every ad; scores away from 0 and 1 move
    assert shared == [(1, 2, 7, 40)[i % 4] > 1 for i in range(len(raws))]
    assert changed >= len(raws) // 5


def test_rescore_refuses_another_ads_analysis() -> None:
    a, b = (x.raw for x in load_labelled()[:2])
    with pytest.raises(ValueError, match="given for ad"):
        rescore(a, replace(analyze(b), site=b.site), network_size=3)
