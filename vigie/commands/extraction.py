"""`vigie evaluate extraction`: the extractors' precision, recall and F1 on the labelled corpus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from vigie.commands.base import Failure, edge, evaluate_app, out

if TYPE_CHECKING:  # the extractors (phonenumbers, the gazetteer) load when the command runs
    from vigie.evaluation.extraction import Miss, Report

DEFAULT_DATA = Path("tests/data/extraction")


def _table(report: Report) -> Table:
    from vigie.evaluation.extraction import THRESHOLDS

    table = Table(title="Extraction on the labelled corpus")
    for column in ("field", "precision", "recall", "F1 / accuracy", "TP", "FP", "FN", "target"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, s in report.sets.items():
        metric, floor = THRESHOLDS.get(name, ("", 0.0))
        table.add_row(
            name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
            f"F1 ≥ {floor}" if metric else "",
        )
    for name, a in report.accuracies.items():
        metric, floor = THRESHOLDS.get(name, ("", 0.0))
        table.add_row(
            name,
            "",
            "",
            f"{a.accuracy:.3f}",
            f"{a.right}/{a.total}",
            "",
            "",
            f"acc ≥ {floor}" if metric else "",
        )
    return table


def _groups_table(report: Report) -> Table:
    table = Table(title="Per author and per language")
    for column in ("group", "phones F1", "aliases F1", "ages F1", "zone acc", "ads"):
        table.add_column(column, justify="left" if column == "group" else "right")
    for name, g in report.groups.items():
        table.add_row(
            name,
            f"{g.sets['phones'].f1:.3f}",
            f"{g.sets['aliases'].f1:.3f}",
            f"{g.sets['ages'].f1:.3f}",
            f"{g.accuracies['zone'].accuracy:.3f}",
            str(g.accuracies["zone"].total),
        )
    return table


def _misses(report: Report) -> list[tuple[str, Miss]]:
    # "phones" is phone_texts + ad_phones: its misses are listed under those names.
    named = [(n, m) for n, s in report.sets.items() if n != "phones" for m in s.misses]
    return named + [(n, m) for n, a in report.accuracies.items() for m in a.misses]


@evaluate_app.command("extraction")
def extraction(
    data: Annotated[
        Path, typer.Option("--data", help="Directory holding phones.jsonl and ads.jsonl.")
    ] = DEFAULT_DATA,
    region: Annotated[
        str | None, typer.Option(help="Default country for phone numbers (default BE).")
    ] = None,
) -> None:
    """Precision, recall and F1 per field on a labelled corpus, and every miss.

    Exits 1 when a field is below the issue's threshold (phone F1 0.98, zone accuracy 0.97,
    age F1 0.95, alias F1 0.90).
    """
    from vigie.config import load_settings
    from vigie.evaluation.extraction import CorpusError, evaluate

    with edge():
        if not data.is_dir():
            raise Failure(f"{data}: no such directory")
        settings = load_settings(**({"region": region} if region else {}))
        try:
            report = evaluate(data, region=settings.region)
        except CorpusError as exc:
            raise Failure(str(exc)) from None
    out.print(_table(report))
    if report.groups:
        out.print(_groups_table(report))
    misses = _misses(report)
    if misses:
        out.print(f"\n[bold]{len(misses)} miss(es)[/]")
        for name, miss in misses:
            out.print(
                f"  {name}: {miss.item} expected {miss.expected} found {miss.found}",
                highlight=False,
                markup=False,
            )
    failures = report.failures()
    for line in failures:
        out.print(f"[bold red]below target:[/] {line}", highlight=False)
    if failures:
        raise typer.Exit(1)
