"""Shared plumbing of the command line: the Typer app, the error edge, settings, the store.

Each capability adds its commands in a module of `vigie/commands/`, registered in `vigie/cli.py`.
Nothing heavy is imported here: `vigie --help` and `vigie --version` load Typer and rich only;
each command imports what it needs when it runs.

Every failure ends as one line on standard error and exit code 2: Vigie's own errors (`Failure`,
spec, configuration and storage errors) by their message, and any other library's exception
(Scrapy, PyMISP, SQLAlchemy, OSError…) by its type and the first line of its message, caught
once for every command by `VigieGroup.invoke`. `VIGIE_LOG_LEVEL=DEBUG` logs the traceback.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer import _click
from typer.core import TyperCommand, TyperGroup

from vigie.commands.coercion import defer
from vigie.terminal import safe

if TYPE_CHECKING:
    from storage.repository import Store
    from vigie.config import Settings

log = logging.getLogger("vigie.cli")
_PASSWORD = re.compile(r"(//[^:/@\s]*:)[^@/\s]*@")


class Failure(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


def _own_errors() -> tuple[type[BaseException], ...]:
    """Vigie's own error types, whose message is written for the user (imported only on error)."""
    from crawlers.errors import SpecError
    from storage.errors import StorageError
    from vigie.config import ConfigError

    return (Failure, SpecError, ConfigError, StorageError)


def one_line(exc: BaseException) -> str:
    """The user-facing line for any exception: own errors by message, others by type too."""
    own = isinstance(exc, _own_errors())
    cause = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error: say that one
    text = str(cause if isinstance(cause, BaseException) else exc).strip()
    first = text.splitlines()[0].strip() if text else ""
    first = _PASSWORD.sub(r"\1***@", first)  # never print a database password
    if own:
        return first or type(exc).__name__
    kind = type(cause if isinstance(cause, BaseException) else exc).__name__
    return f"{kind}: {first}" if first else kind


def fail(exc: BaseException) -> typer.Exit:
    log.debug("command failed", exc_info=exc)
    err.print(f"[bold red]error:[/] {safe(one_line(exc))}", highlight=False)
    return typer.Exit(2)


_PASS_THROUGH = (typer.Exit, typer.Abort, typer.TyperException)  # Click's own, usage errors


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A top-level command (or group) whose module is imported only when it is used."""

    name: str
    modules: tuple[str, ...]  # in vigie/commands/
    summary: str  # the first paragraph of its help, for `vigie --help`


_LAZY: dict[str, LazyCommand] = {}


def register_lazy(commands: Iterable[LazyCommand]) -> None:
    for command in commands:
        _LAZY[command.name] = command


class VigieGroup(TyperGroup):
    """The app's group: the one place where any exception becomes one line and exit 2; and the
    lazy loader of the command modules (`vigie --help` lists the commands without them)."""

    _listing = False

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        defer(self.get_params(ctx))  # no converter (pydantic) for the options left unset
        return super().parse_args(ctx, args)

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise  # Typer's and Click's own exits, usage errors (exit 2 already) and Ctrl-C
        except Exception as exc:  # noqa: BLE001 — the central error edge, by design
            raise fail(exc) from None

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [*_LAZY, *(name for name in self.commands if name not in _LAZY)]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        lazy = _LAZY.get(cmd_name)
        loaded: set[str] = self.__dict__.setdefault("_loaded", set())
        if lazy is None or cmd_name in loaded:
            return self.commands.get(cmd_name)
        if self._listing:  # help or completion of the names: the summary is enough
            return self.commands.get(cmd_name) or TyperCommand(
                name=cmd_name, help=lazy.summary, callback=None
            )
        for module in lazy.modules:
            importlib.import_module(f"vigie.commands.{module}")
        from typer.main import get_group

        full = get_group(app)
        if cmd_name in full.commands:
            self.commands[cmd_name] = full.commands[cmd_name]
            _defer_all(full.commands[cmd_name], ctx)
        loaded.add(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[Any]:
        self._listing = True
        try:
            return list(super().shell_complete(ctx, incomplete))
        finally:
            self._listing = False


def _defer_all(command: _click.Command, ctx: _click.Context) -> None:
    """`defer` for a command's parameters, and its subcommands' if it is a group."""
    defer(command.get_params(ctx))
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _defer_all(sub, ctx)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("vigie")
        except PackageNotFoundError:  # pragma: no cover — run from a source tree not installed
            number = "unknown"
        typer.echo(f"vigie {number}")
        raise typer.Exit()


app = typer.Typer(
    name="vigie",
    cls=VigieGroup,
    help="Vigie — OSINT against the exploitation of minors and trafficking in escort ads.",
    no_args_is_help=True,
    add_completion=True,
    # Plain help, as Click writes it: Typer's rich help imports rich.markdown, hence Pygments
    # and its lexers, for every `--help` (issue 18.4).
    rich_markup_mode=None,
)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print Vigie's version and exit."
        ),
    ] = False,
) -> None:
    """Vigie — OSINT against the exploitation of minors and trafficking in escort ads."""


evaluate_app = typer.Typer(
    help="Measure Vigie against labelled data (extraction, model, networks).",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")


class _LiveConsole(Console):
    """A console that reads `COLUMNS`/`LINES` (and the terminal's size) each time it prints.

    Rich fixes the width from `COLUMNS` when the console is made, i.e. when this module is first
    imported: a process that imported it under another environment (the scheduler, the test
    suite, a worker) would then print every later command at that width."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._width = self._height = None  # Console.size reads the environment when None


out = _LiveConsole()
err = _LiveConsole(stderr=True, soft_wrap=True)  # one error, one line: never wrapped


@contextmanager
def edge() -> Iterator[None]:
    """Kept for the commands' structure; the central handler (VigieGroup) does the work, and
    this one serves callers that run a command function outside the app."""
    try:
        yield
    except _PASS_THROUGH:
        raise
    except Exception as exc:  # noqa: BLE001 — see VigieGroup
        raise fail(exc) from None


def settings_for(database: str | None = None) -> Settings:
    from vigie.config import load_settings

    overrides = {"database_url": database} if database else {}
    settings = load_settings(**overrides)
    # The level goes on the handler too: Scrapy sets its own loggers to DEBUG when it starts.
    handler = logging.StreamHandler()
    handler.setLevel(settings.log_level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    return settings


def open_store(settings: Settings) -> Store:
    from storage.repository import Store

    return Store.open(settings.database)


def emit_json(rows: Iterable[Mapping[str, Any]]) -> None:
    """`--json`: one JSON object a line on standard output (dates ISO 8601, UTC)."""
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=_jsonable) + "\n")
    sys.stdout.flush()


def _jsonable(value: object) -> object:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


DatabaseOpt = Annotated[
    str | None, typer.Option("--database", help="Database URL (default: VIGIE_DATABASE_URL).")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="One JSON object per line instead of a table.")
]
