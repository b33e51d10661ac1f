"""`vigie` — the command line. Thin: parse options, call the layers, render with rich.

Domain errors are translated at this edge into a one-line message and an exit code (2 for bad
input or configuration, 1 when a batch had to skip lines). Each capability's commands live in a
module of `vigie/commands/`; importing it registers them on the one Typer app.
"""

from __future__ import annotations

from vigie.commands import (  # noqa: F401 — registers the commands
    batch,
    core,
    db,
    exchange,
    extraction,
    linking,
    model,
    retention,
    schedule,
    sites,
    web,
)
from vigie.commands.base import app

__all__ = ["app"]

if __name__ == "__main__":  # pragma: no cover
    app()
