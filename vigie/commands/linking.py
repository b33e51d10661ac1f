"""`vigie link` (batch linking of `vigie analyze` output) and `vigie evaluate networks`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from pipeline.linkkinds import DEFAULT_IMAGE_RADIUS, DEFAULT_TEXT_THRESHOLD
from vigie.commands.base import Failure, app, edge, err, evaluate_app, out
from vigie.terminal import safe

if TYPE_CHECKING:  # the linker (numpy, datasketch, scipy) loads only when a command runs
    from pipeline.link import LinkConfig

F1_FLOOR = 0.95

ImageRadius = Annotated[
    int,
    typer.Option("--image-radius", min=0, max=32,
                 help="pHash bits within which two images are the same picture."),
]
TextThreshold = Annotated[
    float,
    typer.Option("--text-threshold", min=0.0, max=1.0,
                 help="Estimated Jaccard of shingles for near-duplicate texts (0: off)."),
]


def _config(image_radius: int, text_threshold: float) -> LinkConfig:
    from pipeline.link import LinkConfig

    return LinkConfig(image_radius=image_radius, text_threshold=text_threshold or None)


@app.command()
def link(
    source: Annotated[Path, typer.Argument(help="JSON Lines of `vigie analyze` output; '-' for "
                                                "standard input.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write; '-' for standard output.")
    ] = Path("-"),
    image_radius: ImageRadius = DEFAULT_IMAGE_RADIUS,
    text_threshold: TextThreshold = DEFAULT_TEXT_THRESHOLD,
) -> None:
    """Link ads into networks: one line per ad, {"id", "network"} (null: links to nothing)."""
    from vigie.batch import LineError
    from vigie.linkbatch import run

    with edge():
        if str(source) != "-" and not source.is_file():
            raise Failure(f"{source}: no such file")
        config = _config(image_radius, text_threshold)
        src = sys.stdin if str(source) == "-" else source.open(encoding="utf-8")
        skipped = 0
        try:
            results = list(run(src, config))
        finally:
            if src is not sys.stdin:
                src.close()
        dst = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8")
        try:
            for result in results:
                if isinstance(result, LineError):
                    skipped += 1
                    err.print(f"{safe(source)}:{result.line_no}: skipped: {safe(result.message)}",
                              highlight=False)
                    continue
                dst.write(json.dumps(result, ensure_ascii=False) + "\n")
        finally:
            if dst is not sys.stdout:
                dst.close()
        if skipped:
            err.print(f"{skipped} line(s) skipped.", highlight=False)
            raise typer.Exit(1)


@evaluate_app.command("networks")
def networks_eval(
    seed: Annotated[
        list[int] | None, typer.Option("--seed", help="Demo corpus seed (repeatable).")
    ] = None,
    image_radius: ImageRadius = DEFAULT_IMAGE_RADIUS,
    text_threshold: TextThreshold = DEFAULT_TEXT_THRESHOLD,
) -> None:
    """Pairwise precision and recall of linking against the demo's planted networks.

    Exits 1 when the pairwise F1 of a seed is below 0.95.
    """
    from vigie.linkeval import evaluate_demo  # analysis models load only for this command

    with edge():
        config = _config(image_radius, text_threshold)
        scores = [evaluate_demo(s, config) for s in (seed or [7, 8])]
    table = Table(title="Linking against the demo's planted networks (pairwise)")
    for column in ("seed", "ads", "true pairs", "predicted", "correct", "precision", "recall",
                   "F1"):
        table.add_column(column, justify="right")
    for s in scores:
        table.add_row(str(s.seed), str(s.ads), str(s.true_pairs), str(s.predicted_pairs),
                      str(s.correct_pairs), f"{s.precision:.3f}", f"{s.recall:.3f}",
                      f"{s.f1:.3f}")
    out.print(table)
    low = [s for s in scores if s.f1 < F1_FLOOR]
    for s in low:
        out.print(f"[bold red]below target:[/] seed {s.seed}: F1 {s.f1:.3f} < {F1_FLOOR}",
                  highlight=False)
    if low:
        raise typer.Exit(1)
