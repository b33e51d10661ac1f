"""`vigie train` and `vigie evaluate model`: the risk model's training and held-out evaluation.

Labelled data are JSON Lines (`models/data/*.jsonl`): title, text, contact, lang, minor,
trafficking, split ("train" | "test"), family (the template group) and network_size (optional:
ads sharing a contact or photo, itself included). Training never reads the test split.
`--from-reviews` adds investigators' decisions: any object with a `review_decisions()` method
yielding (RawAd, {"minor": bool, "trafficking": bool}) pairs plugs in (see `reviewed_examples`);
`StoredReviews` reads the review app's decisions from storage, and each reviewed ad gets the real
size of its stored network (`storage.reviews.reviewed_network_sizes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

import typer
from sqlalchemy.engine import Engine

from models.artefact import DEFAULT_STEM, TARGETS, ArtefactError
from models.classifier import RiskModel
from models.evaluate import as_dict, flag_metrics, save_plots
from models.train import train as train_model
from models.types import Example
from pipeline.analyze import analyze, example
from pipeline.types import AdKey, RawAd
from storage.engine import redact_url
from storage.reviews import labelled_ads, reviewed_network_sizes
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

DATA_DIR = Path(__file__).resolve().parents[2] / "models" / "data"


@dataclass(frozen=True, slots=True)
class LabelledAd:
    raw: RawAd
    labels: dict[str, bool]
    split: str
    group: str
    network_size: int = 0


class ReviewSource(Protocol):
    def review_decisions(self) -> Iterable[tuple[RawAd, Mapping[str, bool]]]: ...


@dataclass(frozen=True, slots=True)
class StoredReviews:
    """The review app's decisions (storage.reviews.labelled_ads) as training labels.

    A decision labels the flags the ad carried when it was reviewed (confirm: True, dismiss:
    False). A flag the model did not raise gets no label from the review; it is taken as
    negative, the model's own verdict that the investigator, having read the ad, left standing.
    """

    engine: Engine

    def review_decisions(self) -> Iterator[tuple[RawAd, Mapping[str, bool]]]:
        for raw, labels in labelled_ads(self.engine):
            yield raw, {t: bool(labels.get(t)) for t in TARGETS}


def load_labelled(directory: Path = DATA_DIR) -> list[LabelledAd]:
    ads: list[LabelledAd] = []
    for path in sorted(directory.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                raw = RawAd(
                    site="labelled",
                    ad_id=str(row["id"]),
                    url="",
                    title=row["title"],
                    text=row["text"],
                    lang=row.get("lang"),
                    contact_text=row.get("contact", ""),
                )
                labels = {t: bool(row[t]) for t in TARGETS}
                network_size = int(row.get("network_size") or 0)
            except (KeyError, TypeError, ValueError) as exc:
                raise Failure(f"{path}:{n}: bad labelled ad: {exc}") from exc
            group = str(row.get("family", row["id"]))
            split = str(row.get("split", "train"))
            ads.append(LabelledAd(raw, labels, split, group, network_size))
    if not ads:
        raise Failure(f"{directory}: no labelled ads (*.jsonl)")
    return ads


def reviewed_examples(
    source: ReviewSource,
    *,
    region: str = "BE",
    network_sizes: Mapping[AdKey, int] | None = None,
) -> list[Example]:
    """Investigators' decisions as training examples, one group per reviewed ad, each with the
    real size of its stored network (`network_sizes`; an ad in none is alone: 1)."""
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


def evaluate_split(model: RiskModel, ads: list[LabelledAd], region: str) -> dict[str, Any]:
    test = [a for a in ads if a.split == "test"]
    if not test:
        raise Failure("no test split in the labelled data")
    scores: dict[str, list[float]] = {t: [] for t in TARGETS}
    for a in test:
        result = analyze(a.raw, region=region, model=model, network_size=a.network_size)
        scores["minor"].append(result.minor_score)
        scores["trafficking"].append(result.trafficking_score)
    labels = {t: [a.labels[t] for a in test] for t in TARGETS}
    metrics = {
        t: as_dict(flag_metrics(t, labels[t], scores[t], model.artefact.thresholds[t]))
        for t in TARGETS
    }
    return {"model_version": model.version, "metrics": metrics, "labels": labels, "scores": scores}


@app.command("train")
def train_cmd(
    data: Annotated[Path, typer.Option(help="Directory of labelled *.jsonl.")] = DATA_DIR,
    output: Annotated[Path, typer.Option(help="Artefact stem (.skops + .json).")] = DEFAULT_STEM,
    from_reviews: Annotated[
        bool, typer.Option("--from-reviews", help="Add investigators' review decisions.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Train the risk model on the training split (never the test split) and save it."""
    with edge():
        settings = settings_for(database)
        ads = [a for a in load_labelled(data) if a.split != "test"]
        examples = [
            example(
                a.raw, a.labels, group=a.group, region=settings.region, network_size=a.network_size
            )
            for a in ads
        ]
        source = "synthetic+handwritten"
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
            source += "+reviews"
        artefact = train_model(examples, source=source)
        artefact.save(output)
        out.print(f"trained {artefact.version} on {len(examples)} ads → {output}.skops")


@evaluate_app.command("model")
def evaluate_model(
    data: Annotated[Path, typer.Option(help="Directory of labelled *.jsonl.")] = DATA_DIR,
    model: Annotated[Path, typer.Option(help="Artefact stem.")] = DEFAULT_STEM,
    plots: Annotated[Path, typer.Option(help="Directory for the PNG curves.")] = Path(
        "data/evaluation"
    ),
) -> None:
    """Held-out precision/recall/F1 per flag, confusion matrices, calibration and PR curves."""
    with edge():
        settings = settings_for(None)
        try:
            risk = RiskModel.load(model)
        except ArtefactError as exc:
            raise Failure(str(exc)) from exc
        report = evaluate_split(risk, load_labelled(data), settings.region)
        written = save_plots(plots, report["labels"], report["scores"])
        out.print_json(
            data={
                "model_version": report["model_version"],
                **report["metrics"],
                "plots": [str(p) for p in written],
            }
        )
