"""The photo distortion suite (issue 16.3): the repository's generated pictures and public-domain
photographs scikit-image ships (no people), every distortion kind of `bench/distortions.py` at
several strengths, matched as Vigie links photos (`pipeline.photomatch`). Recall is asserted per
kind, and no distorted copy nor original may match a different original."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The measured recall of each kind on this suite, less a margin (bench/photomatch.py prints it).
MIN_RECALL = {
    "jpeg": 1.0, "resize": 1.0, "brightness": 1.0, "contrast": 1.0, "mirror": 1.0,
    "rotate90": 1.0, "rotate_small": 0.8, "crop_centre": 0.9, "crop_corner": 0.9,
    "border": 0.9, "banner": 0.9, "watermark": 0.9, "recolour": 0.85,
}  # fmt: skip


def _distortions() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vigie_bench_distortions",
                                                  ROOT / "bench" / "distortions.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def score() -> object:
    d = _distortions()
    photos = d.photo_sources()
    if not photos:
        pytest.skip("scikit-image (a dev dependency) ships the photographs: not installed")
    by_name = dict(photos)
    sources = d.synthetic_sources(4) + [(n, by_name[n]) for n in ("coffee", "chelsea", "rocket",
                                                                   "coins") if n in by_name]
    # Every kind at two strengths at least (half of those of kinds with more than three).
    kinds = {kind: steps[::2] if len(steps) > 3 else steps for kind, steps in d.KINDS.items()}
    return d.evaluate(sources, kinds=kinds)


def test_every_kind_is_measured_at_several_strengths(score: object) -> None:
    total = score.total  # type: ignore[attr-defined]
    assert set(total) == set(MIN_RECALL)
    assert all(n >= 2 * 8 for n in total.values())


@pytest.mark.parametrize("kind", sorted(MIN_RECALL))
def test_recall_per_distortion_kind(score: object, kind: str) -> None:
    recall = score.recall(kind)  # type: ignore[attr-defined]
    misses = [m for m in score.misses if m[1] == kind]  # type: ignore[attr-defined]
    assert recall >= MIN_RECALL[kind], f"{kind}: recall {recall:.2f}, missed {misses}"


def test_no_false_match_between_different_originals(score: object) -> None:
    assert score.false_matches == []  # type: ignore[attr-defined]
    assert score.pairs > 1500  # type: ignore[attr-defined]
