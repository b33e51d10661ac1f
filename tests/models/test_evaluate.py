from __future__ import annotations

from pathlib import Path

from models.evaluate import flag_metrics, save_plots


def test_flag_metrics_count_the_confusion_matrix() -> None:
    m = flag_metrics("minor", [True, True, False, False, True], [0.9, 0.4, 0.6, 0.1, 0.8], 0.5)
    assert m.confusion == ((1, 1), (1, 2))
    assert m.precision == round(2 / 3, 4)
    assert m.recall == round(2 / 3, 4)
    assert m.positives == 3


def test_curves_are_written_as_png(tmp_path: Path) -> None:
    labels = {"minor": [True, False] * 20, "trafficking": [False, True, True, False] * 10}
    scores = {"minor": [0.9, 0.2] * 20, "trafficking": [0.3, 0.7, 0.6, 0.1] * 10}
    paths = save_plots(tmp_path, labels, scores)
    assert len(paths) == 4
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_top_tie_fraction_and_text_pr_curve() -> None:
    from models.evaluate import pr_points, top_tie_fraction

    assert top_tie_fraction([]) == 0.0
    assert top_tie_fraction([0.9, 1.0, 1.0, 0.5]) == 0.5
    curve = pr_points([True, False, True, False], [0.9, 0.8, 0.7, 0.1], recalls=(0.5, 1.0))
    assert curve == [
        {"recall": 0.5, "precision": 1.0, "threshold": 0.9},
        {"recall": 1.0, "precision": 0.6667, "threshold": 0.7},
    ]
