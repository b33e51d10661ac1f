"""`vigie analyze`: the batch contract (JSON Lines in, JSON Lines out)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from vigie.commands.base import Failure, app, edge, err
from vigie.terminal import safe


@app.command()
def analyze(
    source: Annotated[Path, typer.Argument(help="JSON Lines of ads; '-' for standard input.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write; '-' for standard output.")
    ] = Path("-"),
    region: Annotated[
        str | None, typer.Option(help="Default country for phone numbers (default BE).")
    ] = None,
) -> None:
    """Analyse ads in batch (JSON Lines in, JSON Lines out, same order)."""
    from vigie.batch import LineError, read_lines, run  # the pipeline: only when it runs
    from vigie.config import load_settings

    with edge():
        settings = load_settings(**({"region": region} if region else {}))
        if str(source) != "-" and not source.is_file():
            raise Failure(f"{source}: no such file")
        skipped = 0
        # Bytes in: each line is decoded on its own, so one invalid UTF-8 line is skipped,
        # not fatal to the batch; over-long lines are never held whole (vigie.batch.read_lines).
        src = sys.stdin.buffer if str(source) == "-" else source.open("rb")
        dst = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8")
        try:
            for result in run(read_lines(src), region=settings.region):
                if isinstance(result, LineError):
                    skipped += 1
                    err.print(
                        f"{safe(source)}:{result.line_no}: skipped: {safe(result.message)}",
                        highlight=False,
                    )
                    continue
                dst.write(json.dumps(result, ensure_ascii=False) + "\n")
        finally:
            if src is not sys.stdin.buffer:
                src.close()
            if dst is not sys.stdout:
                dst.close()
        if skipped:
            err.print(f"{skipped} line(s) skipped.", highlight=False)
            raise typer.Exit(1)
