"""Shared plumbing of the command line: the Typer app, the error edge, settings, the store.

Each capability adds its commands in a module of `vigie/commands/`, registered in `vigie/cli.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from crawlers.errors import SpecError
from storage.errors import StorageError
from storage.repository import Store
from vigie.config import ConfigError, Settings, load_settings

app = typer.Typer(
    name="vigie",
    help="Vigie — OSINT against the exploitation of minors and trafficking in escort ads.",
    no_args_is_help=True,
    add_completion=False,
)
evaluate_app = typer.Typer(
    help="Measure Vigie against labelled data (extraction, model, networks).",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")
out = Console()
err = Console(stderr=True, soft_wrap=True)  # one error, one line: never wrapped


class Failure(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


@contextmanager
def edge() -> Iterator[None]:
    try:
        yield
    except (Failure, SpecError, ConfigError, StorageError) as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None


def settings_for(database: str | None = None) -> Settings:
    overrides = {"database_url": database} if database else {}
    settings = load_settings(**overrides)
    # The level goes on the handler too: Scrapy sets its own loggers to DEBUG when it starts.
    handler = logging.StreamHandler()
    handler.setLevel(settings.log_level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    return settings


def open_store(settings: Settings) -> Store:
    return Store.open(settings.database)


DatabaseOpt = Annotated[
    str | None, typer.Option("--database", help="Database URL (default: VIGIE_DATABASE_URL).")
]
