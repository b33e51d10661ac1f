from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.types import RawAd
from vigie.cli import app
from vigie.commands.base import Failure
from vigie.commands.model import load_labelled, reviewed_examples


class Reviews:
    def review_decisions(self) -> Iterable[tuple[RawAd, Mapping[str, bool]]]:
        yield RawAd("site", "7", "", "t", "Toute jeune, 16 ans."), {"minor": True}
        yield RawAd("site", "8", "", "t", "Massage, 35 ans."), {"minor": False}


def test_review_decisions_become_training_examples() -> None:
    examples = reviewed_examples(Reviews())
    assert [e.minor for e in examples] == [True, False]
    assert examples[0].features.ages == (16,)
    assert examples[0].group == "review:site:7"


def test_a_bad_labelled_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text('{"id": "a", "title": "t"}\n', encoding="utf-8")
    with pytest.raises(Failure, match=r"x\.jsonl:1"):
        load_labelled(tmp_path)


def test_train_and_evaluate_model_from_the_cli(tmp_path: Path) -> None:
    rows = []
    for i in range(24):
        split = "test" if i % 4 == 0 else "train"
        rows.append(
            {
                "id": f"m{i}",
                "family": f"f{i % 4}",
                "split": split,
                "lang": "fr",
                "title": "Annonce",
                "text": f"Lola, toute jeune, 16 ans. Ref {i}.",
                "minor": True,
                "trafficking": False,
            }
        )
        rows.append(
            {
                "id": f"t{i}",
                "family": f"f{i % 4}",
                "split": split,
                "lang": "fr",
                "title": "Annonce",
                "text": f"Nos filles, le manager répond. Ref {i}.",
                "minor": False,
                "trafficking": True,
            }
        )
        rows.append(
            {
                "id": f"o{i}",
                "family": f"f{i % 4}",
                "split": split,
                "lang": "fr",
                "title": "Annonce",
                "text": f"Anna, 35 ans, massage. Ref {i}.",
                "minor": False,
                "trafficking": False,
            }
        )
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    stem = tmp_path / "art" / "risk"
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--data", str(data), "--output", str(stem)])
    assert result.exit_code == 0, result.output
    assert stem.with_suffix(".skops").exists()
    plots = tmp_path / "plots"
    result = runner.invoke(
        app, ["evaluate", "model", "--data", str(data), "--model", str(stem), "--plots", str(plots)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["minor"]["n"] == 18
    assert report["minor"]["recall"] == 1.0
    # calibration and PR curve per flag, and a reliability diagram per language per flag
    assert len(list(plots.glob("*.png"))) == 6
    assert (plots / "calibration_minor_by_language.png").exists()


def _blind(folder: Path, n: int) -> Path:
    """A blind-corpus half in the CONTRACT.md format: two authors, two languages."""
    texts = [
        ("Lola, toute jeune, première fois.", True, False),
        ("Nos filles vous attendent, le chauffeur les amène.", False, True),
        ("Anna, 35 ans, massage relaxant.", False, False),
        ("Sanne, heel jong meisje, eerste keer.", True, False),
        ("Onze meisjes, de chauffeur brengt ze, bel de receptie.", False, True),
        ("Els, 40 jaar, rustige massage.", False, False),
    ]
    folder.mkdir(parents=True)
    rows = []
    for i in range(n):
        text, minor, trafficking = texts[i % len(texts)]
        author = f"author-{'ab'[i % 2]}"
        rows.append(
            {"id": f"{author}-a{i}", "author": author, "lang": "fr" if i % 6 < 3 else "nl",
             "region": "BE", "title": "Annonce", "text": f"{text} Ref {i}.", "location_text": "",
             "expected": {"phones": [], "aliases": [], "ages": [], "commune": None, "zone": None,
                          "minor": minor, "trafficking": trafficking, "cues": []}}
        )  # fmt: skip
    (folder / "ads.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return folder


def test_evaluate_model_reports_per_author_and_language_with_curves_and_ties(
    tmp_path: Path,
) -> None:
    dev, sealed = _blind(tmp_path / "dev", 36), _blind(tmp_path / "sealed", 24)
    stem = tmp_path / "art" / "risk"
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--blind", str(dev), "--output", str(stem)])
    assert result.exit_code == 0, result.output
    hands = json.loads(stem.with_suffix(".json").read_text("utf-8"))["hands"]
    assert set(hands) == {"team", "author-a", "author-b"}
    result = runner.invoke(
        app,
        ["evaluate", "model", "--data", str(sealed), "--model", str(stem),
         "--plots", str(tmp_path / "plots")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["minor"]["n"] == 24
    assert set(report["trafficking"]["per_author"]) == {"author-a", "author-b"}
    assert set(report["trafficking"]["per_language"]) == {"fr", "nl"}
    for lang in ("fr", "nl"):  # a reliability table per language, bins of the fixed edges
        table = report["trafficking"]["per_language"][lang]["reliability"]
        assert sum(row["n"] for row in table) == 12
        assert all(0.0 <= row["observed"] <= 1.0 for row in table)
    curve = report["trafficking"]["pr_curve"]
    assert curve
    assert all({"recall", "precision", "threshold"} <= set(p) for p in curve)
    assert 0.0 <= report["top_score_tie_fraction"] <= 1.0
    assert report["n_flagged"] > 0


def test_training_refuses_a_sealed_split(tmp_path: Path) -> None:
    sealed = _blind(tmp_path / "sealed", 6)
    result = CliRunner().invoke(app, ["train", "--blind", str(sealed), "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "never trained on" in result.stderr


def test_evaluate_without_an_artefact_fails_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "model", "--model", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "vigie train" in result.output


def test_stored_review_decisions_label_the_flags_they_judged(tmp_path: Path) -> None:
    from pipeline.analyze import analyze
    from storage.repository import Store
    from storage.reviews import record_decision
    from vigie.commands.model import StoredReviews

    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as store:
        flagged = RawAd("s", "1", "", "Lina, 16 ans", "Toute jeune, première fois.")
        plain = RawAd("s", "2", "", "Dame", "Massage relaxant, 45 ans, Uccle.")
        for raw in (flagged, plain):
            store.save(raw, analyze(raw))
        assert "minor" in store.get_ad(site="s", ad_id="1").flags  # type: ignore[union-attr]
        record_decision(
            store.engine, site="s", ad_id="1", actor="ana", zone="5339", decision="dismiss"
        )
        record_decision(
            store.engine, site="s", ad_id="2", actor="ana", zone="5339", decision="escalate"
        )
        decisions = list(StoredReviews(store.engine).review_decisions())
    assert [(raw.ad_id, dict(labels)) for raw, labels in decisions] == [
        ("1", {"minor": False, "trafficking": False})
    ]


def test_confirming_a_cue_on_an_unflagged_ad_is_a_positive_label(tmp_path: Path) -> None:
    from pipeline.analyze import analyze
    from storage.repository import Store
    from storage.reviews import record_decision
    from vigie.commands.model import StoredReviews

    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as store:
        missed = RawAd("s", "3", "", "Dame", "Massage relaxant, 45 ans, Uccle.")
        store.save(missed, analyze(missed))
        assert not store.get_ad(site="s", ad_id="3").flags  # type: ignore[union-attr]
        record_decision(store.engine, site="s", ad_id="3", actor="ana", zone="5339",
                        decision="confirm", target="trafficking")  # fmt: skip
        decisions = list(StoredReviews(store.engine).review_decisions())
    assert [(raw.ad_id, dict(labels)) for raw, labels in decisions] == [
        ("3", {"minor": False, "trafficking": True})
    ]


def test_train_from_reviews_refuses_a_database_without_reviews(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(
        app, ["train", "--from-reviews", "--database", db, "--output", str(tmp_path / "m")]
    )
    assert result.exit_code == 2
    assert "no confirmed or dismissed review" in result.stderr
