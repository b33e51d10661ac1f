"""`vigie train` and `vigie evaluate model`: the risk model's training and held-out evaluation.

Labelled data (`vigie.riskdata`): the synthetic and hand-written JSON Lines of `models/data/`
(title, text, contact, lang, minor, trafficking, split, family, network_size) and the blind
corpus' dev half (`tests/data/blind/dev/ads.jsonl`, several authors). Training never reads a test
or sealed split; each hand weighs the same. One command retrains everything (~15 s):
`vigie train`.
`--from-reviews` adds investigators' decisions: any object with a `review_decisions()` method
yielding (RawAd, {"minor": bool, "trafficking": bool}) pairs plugs in (see `reviewed_examples`);
`StoredReviews` reads the review app's decisions from storage, and each reviewed ad gets the real
size of its stored network (`storage.reviews.reviewed_network_sizes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import typer

from models.paths import DATA_DIR, DEFAULT_STEM, TARGETS
from vigie.commands.base import (
    DatabaseOpt,
    Failure,
    app,
    edge,
    evaluate_app,
    open_store,
    out,
    settings_for,
)

# scikit-learn, the pipeline and the store load when a command runs, not for `--help`.
if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from models.classifier import RiskModel
    from models.types import Example
    from pipeline.types import AdKey, RawAd
    from vigie.riskdata import LabelledAd


class ReviewSource(Protocol):
    def review_decisions(self) -> Iterable[tuple[RawAd, Mapping[str, bool]]]: ...


@dataclass(frozen=True, slots=True)
class StoredReviews:
    """The review app's decisions (storage.reviews.labelled_ads) as training labels.

    A decision labels the flag it names (confirm: True, dismiss: False), or without a named
    flag the flags the ad carried when it was reviewed; confirming a flag the model did not
    raise is a positive label. A flag no decision labels keeps the model's current verdict,
    which the investigator, having read the ad, left standing.
    """

    engine: Engine

    def review_decisions(self) -> Iterator[tuple[RawAd, Mapping[str, bool]]]:
        from storage.reviews import labelled_ads

        for raw, labels in labelled_ads(self.engine, standing=True):
            yield raw, {t: bool(labels.get(t)) for t in TARGETS}


def load_labelled(directory: Path = DATA_DIR) -> list[LabelledAd]:
    from vigie.riskdata import DataError, load_dir

    try:
        return load_dir(directory)
    except DataError as exc:
        raise Failure(str(exc)) from exc


def reviewed_examples(
    source: ReviewSource,
    *,
    region: str = "BE",
    network_sizes: Mapping[AdKey, int] | None = None,
) -> list[Example]:
    """Investigators' decisions as training examples, one group per reviewed ad, each with the
    real size of its stored network (`network_sizes`; an ad in none is alone: 1)."""
    from pipeline.analyze import example

    sizes = network_sizes or {}
    return [
        example(
            raw,
            labels,
            group=f"review:{raw.site}:{raw.ad_id}",
            region=region,
            network_size=sizes.get((raw.site, raw.ad_id), 1),
        )
        for raw, labels in source.review_decisions()
    ]


def evaluate_split(
    model: RiskModel, ads: list[LabelledAd], region: str | None = None
) -> dict[str, Any]:
    """Scores of the test split of `ads` (every ad of a blind-corpus half) and the metrics:
    per flag, per language, per author, PR curves as text, the top-score tie fraction."""
    from models.evaluate import (
        as_dict,
        flag_metrics,
        grouped_metrics,
        pr_points,
        reliability_table,
        top_tie_fraction,
    )
    from pipeline.analyze import analyze

    test = [a for a in ads if a.split in ("test", "dev", "sealed")]
    if not test:
        raise Failure("no test split in the labelled data")
    scores: dict[str, list[float]] = {t: [] for t in TARGETS}
    flagged: list[float] = []
    for a in test:
        result = analyze(a.raw, region=region or a.region, model=model, network_size=a.network_size)
        scores["minor"].append(result.minor_score)
        scores["trafficking"].append(result.trafficking_score)
        if result.flags:  # the queue orders flagged ads by their highest score
            flagged.append(max(result.minor_score, result.trafficking_score))
    labels = {t: [a.labels[t] for a in test] for t in TARGETS}
    thresholds = model.artefact.thresholds
    metrics = {t: as_dict(flag_metrics(t, labels[t], scores[t], thresholds[t])) for t in TARGETS}
    langs = [a.raw.lang or "?" for a in test]
    authors = [a.author for a in test]
    for t in TARGETS:
        metrics[t]["pr_curve"] = pr_points(labels[t], scores[t])
        metrics[t]["reliability"] = reliability_table(labels[t], scores[t])
        metrics[t]["per_language"] = grouped_metrics(t, langs, labels[t], scores[t], thresholds[t])
        metrics[t]["per_author"] = grouped_metrics(t, authors, labels[t], scores[t], thresholds[t])
    return {
        "model_version": model.version,
        "metrics": metrics,
        "labels": labels,
        "scores": scores,
        "languages": langs,
        "top_score_tie_fraction": top_tie_fraction(flagged),
        "n_flagged": len(flagged),
    }


@app.command("train")
def train_cmd(
    data: Annotated[Path, typer.Option(help="Directory of labelled *.jsonl.")] = DATA_DIR,
    blind: Annotated[
        list[Path] | None,
        typer.Option(
            help="Blind-corpus dev halves to train on too (repeatable).", show_default=False
        ),
    ] = None,
    output: Annotated[Path, typer.Option(help="Artefact stem (.skops + .json).")] = DEFAULT_STEM,
    from_reviews: Annotated[
        bool, typer.Option("--from-reviews", help="Add investigators' review decisions.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Train the risk model on the synthetic, hand-written and blind dev ads (never a test or
    sealed split), each hand weighing the same, and save it."""
    from models.train import train as train_model
    from storage.engine import redact_url
    from storage.reviews import reviewed_network_sizes
    from vigie.riskdata import BLIND_DEV, DataError, examples_of, excluded_words, training_ads

    with edge():
        settings = settings_for(database)
        try:
            ads = training_ads(data, blind if blind is not None else [BLIND_DEV])
        except DataError as exc:
            raise Failure(str(exc)) from exc
        examples, hands = examples_of(ads)
        source = "+".join(sorted(set(hands)))
        if from_reviews:
            with open_store(settings) as store:
                reviewed = reviewed_examples(
                    StoredReviews(store.engine),
                    region=settings.region,
                    network_sizes=reviewed_network_sizes(store.engine),
                )
            if not reviewed:
                raise Failure(
                    f"{redact_url(settings.database)}: no confirmed or dismissed review to learn"
                    " from"
                )
            examples += reviewed
            hands += ["reviews"] * len(reviewed)
            source += "+reviews"
        artefact = train_model(
            examples,
            source=source,
            hands=hands,
            excluded=excluded_words(ads),
            threshold_hands={h for h in hands if h != "team"},
        )
        artefact.save(output)
        out.print(f"trained {artefact.version} on {len(examples)} ads → {output}.skops")


@evaluate_app.command("model")
def evaluate_model(
    data: Annotated[
        Path, typer.Option(help="Directory of labelled *.jsonl (a blind half: every ad).")
    ] = DATA_DIR,
    model: Annotated[Path, typer.Option(help="Artefact stem.")] = DEFAULT_STEM,
    plots: Annotated[Path, typer.Option(help="Directory for the PNG curves.")] = Path(
        "data/evaluation"
    ),
    cv: Annotated[
        str | None,
        typer.Option(
            help="Instead: cross-validate the training recipe on the blind dev half, "
            "'kfold' (5 folds grouped by family, stratified by author) or 'author' "
            "(leave one author out). Retrains once per fold; ignores --data and --model.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Held-out precision/recall per flag, language and author at the stored threshold (the
    operating point), PR curves (text and PNG), confusion matrices, reliability tables per
    language (text and PNG) and the top-score tie fraction of flagged ads."""
    from models.artefact import ArtefactError
    from models.classifier import RiskModel
    from models.evaluate import save_plots, save_reliability_by_group

    with edge():
        if cv is not None:
            from vigie.evaluation.riskcv import MODES, cross_validate
            from vigie.evaluation.riskcv import report as cv_report

            if cv not in MODES:
                raise Failure(f"--cv: expected one of {', '.join(MODES)}, got {cv!r}")
            result = cross_validate(mode=cv)
            written = []
            for t in TARGETS:
                langs = [a.raw.lang or "?" for a in result.ads]
                y = list(result.labels(t))
                written.append(
                    save_reliability_by_group(
                        plots, f"cv_{cv}_{t}", langs, y, list(result.scores[t])
                    )
                )
            out.print_json(data={**cv_report(result), "plots": [str(p) for p in written]})
            return
        try:
            risk = RiskModel.load(model)
        except ArtefactError as exc:
            raise Failure(str(exc)) from exc
        report = evaluate_split(risk, load_labelled(data))
        written = save_plots(plots, report["labels"], report["scores"])
        for t in TARGETS:
            written.append(
                save_reliability_by_group(
                    plots, t, report["languages"], report["labels"][t], report["scores"][t]
                )
            )
        out.print_json(
            data={
                "model_version": report["model_version"],
                **report["metrics"],
                "top_score_tie_fraction": report["top_score_tie_fraction"],
                "n_flagged": report["n_flagged"],
                "plots": [str(p) for p in written],
            }
        )
