"""`vigie evaluate extraction` and the scoring behind it, on the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vigie.commands.extraction  # noqa: F401 — registers the command
from vigie.commands.base import app
from vigie.evaluation.extraction import (
    THRESHOLDS,
    Accuracy,
    CorpusError,
    Report,
    SetScore,
    evaluate,
)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "extraction"


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(CORPUS)


@pytest.mark.parametrize(
    ("name", "metric", "floor"), [(n, m, f) for n, (m, f) in THRESHOLDS.items()]
)
def test_the_extractors_meet_the_issue_thresholds_on_the_corpus(
    report: Report, name: str, metric: str, floor: float
) -> None:
    misses = (
        report.accuracies[name].misses if name in report.accuracies else report.sets[name].misses
    )
    assert report.value(name, metric) >= floor, misses


def test_the_corpus_is_read_whole(report: Report) -> None:
    ads = (CORPUS / "ads.jsonl").read_text(encoding="utf-8").splitlines()
    phones = (CORPUS / "phones.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(ads) >= 150
    assert len(phones) >= 300
    assert report.accuracies["zone"].total == len(ads)
    texts = report.sets["phone_texts"]
    assert texts.tp + texts.fn == sum(len(json.loads(line)["phones"]) for line in phones)


def test_set_scores_are_micro_averaged_and_keep_the_misses() -> None:
    score = SetScore()
    score.add("a", ["+32470000000"], ["+32470000000", "+32480000000"])
    score.add("b", ["x", "y"], ["x"])
    score.add("c", [], [])
    assert (score.tp, score.fp, score.fn) == (2, 1, 1)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 / 3)
    assert [m.item for m in score.misses] == ["a", "b"]


def test_an_empty_score_is_perfect_and_accuracy_counts_none_as_a_value() -> None:
    assert SetScore().f1 == 1.0
    acc = Accuracy()
    acc.add("a", None, None)
    acc.add("b", "5339", None)
    assert acc.accuracy == 0.5
    assert [m.item for m in acc.misses] == ["b"]


def _corpus(tmp_path: Path, phones: list[dict[str, object]], ads: list[dict[str, object]]) -> Path:
    (tmp_path / "phones.jsonl").write_text("".join(json.dumps(p) + "\n" for p in phones))
    (tmp_path / "ads.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ads))
    return tmp_path


def _ad(ad_id: str, text: str, **expected: object) -> dict[str, object]:
    base: dict[str, object] = {
        "aliases": [],
        "ages": [],
        "commune": None,
        "zone": None,
        "city": None,
        "phones": [],
    }
    return {
        "id": ad_id,
        "lang": "fr",
        "title": "",
        "text": text,
        "location_text": "",
        "expected": base | expected,
    }


def test_the_command_prints_the_scores_and_passes_on_a_corpus_it_reads(tmp_path: Path) -> None:
    data = _corpus(
        tmp_path,
        [{"text": "Tél 0470 12 34 56", "phones": ["+32470123456"]}, {"text": "150€", "phones": []}],
        [
            _ad(
                "ad-1",
                "Je m'appelle Lola, 22 ans, à Schaerbeek.",
                aliases=["Lola"],
                ages=[22],
                commune="Schaerbeek",
                zone="5344",
            )
        ],
    )
    result = CliRunner().invoke(app, ["evaluate", "extraction", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "phones" in result.output
    assert "miss" not in result.output


def test_the_command_fails_below_a_threshold_and_lists_the_misses(tmp_path: Path) -> None:
    data = _corpus(
        tmp_path,
        [{"text": "Tél 0470 12 34 56", "phones": ["+32470123456"]}],
        [
            _ad(
                "ad-7",
                "Je m'appelle Lola, à Schaerbeek.",
                aliases=["Mia"],
                zone="5344",
                commune="Schaerbeek",
            )
        ],
    )
    result = CliRunner().invoke(app, ["evaluate", "extraction", "--data", str(data)])
    assert result.exit_code == 1
    assert "ad-7 expected [mia] found [lola]" in result.output
    assert "below target" in result.output


def test_a_malformed_corpus_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "phones.jsonl").write_text("{not json\n")
    (tmp_path / "ads.jsonl").write_text("")
    result = CliRunner().invoke(app, ["evaluate", "extraction", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "phones.jsonl:1: not JSON" in result.output
    with pytest.raises(CorpusError, match="no such file"):
        evaluate(tmp_path / "missing")
