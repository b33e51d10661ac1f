"""A command line that starts at once (issue 18.4): `vigie --help`, `vigie --version` and the
`--help` of every command and subcommand import none of the heavy libraries (nor Vigie's own
store, pipeline, model or settings); the lazily listed commands are the real ones, with their
help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup
from typer.main import get_group

from vigie.cli import LAZY_COMMANDS, app

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("sklearn", "scipy", "jsonschema", "alembic", "pygments.lexers", "scrapy", "sqlalchemy",
         "argon2", "numpy", "spacy", "twisted", "pydantic")
# What a command's `--help` must not load either: what the commands themselves import to run.
HEAVY_FOR_HELP = (*HEAVY, "sqlmodel", "fastapi", "starlette", "uvicorn", "stix2", "pymisp",
                  "networkx", "cv2", "PIL", "datasketch", "numba", "apscheduler", "cryptography",
                  "phonenumbers", "yaml", "redis", "psycopg", "jinja2", "skops", "matplotlib",
                  "pydantic_settings", "storage.repository", "storage.engine", "pipeline.analyze",
                  "pipeline.link", "models.classifier", "crawlers.sitespec", "vigie.config")


def _imported_after(args: list[str]) -> set[str]:
    probe = (
        "import sys\nfrom vigie.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)
    return set(done.stdout.strip().splitlines()[-1].split())


def test_help_and_version_import_no_heavy_library() -> None:
    for args in (["--help"], ["--version"]):
        modules = _imported_after(args)
        assert not [m for m in HEAVY if m in modules], args
        assert not [m for m in modules if m.startswith("vigie.commands.")
                    and m not in ("vigie.commands.base", "vigie.commands.coercion")], args


def _every_command() -> list[list[str]]:
    """The path of every command and subcommand, e.g. ["evaluate", "model"], from the app with
    every command module loaded."""
    import importlib

    for lazy in LAZY_COMMANDS:
        for module in lazy.modules:
            importlib.import_module(f"vigie.commands.{module}")

    def walk(command: object, path: list[str]) -> list[list[str]]:
        found = [path]
        if isinstance(command, TyperGroup):
            ctx = typer.Context(command)
            for name in command.list_commands(ctx):
                found += walk(command.get_command(ctx, name), [*path, name])
        return found

    return [p for name, c in get_group(app).commands.items() for p in walk(c, [name])]


def test_every_commands_help_imports_no_heavy_library() -> None:
    paths = _every_command()
    assert ["evaluate", "model"] in paths  # subcommands are walked
    assert ["keys", "trust"] in paths
    assert len(paths) > len(LAZY_COMMANDS)
    for path in paths:
        probe = (
            "import sys\nfrom vigie.cli import app\n"
            f"try:\n    app({[*path, '--help']!r}, prog_name='vigie')\nexcept SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n"
            "print('MODULES ' + ' '.join(sorted(sys.modules)))\n"
        )
        done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                              capture_output=True, text=True, timeout=120,
                              env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"})
        assert f"Usage: vigie {' '.join(path)}" in " ".join(done.stdout.split()), path
        (line,) = [x for x in done.stdout.splitlines() if x.startswith("MODULES ")]
        modules = set(line.removeprefix("MODULES ").split())
        assert not [m for m in HEAVY_FOR_HELP if m in modules], (path, sorted(
            m for m in HEAVY_FOR_HELP if m in modules))


def test_no_password_hash_is_computed_at_import() -> None:
    probe = ("import argon2\ncalls = []\nreal = argon2.PasswordHasher.hash\n"
             "argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append(1) or real(self, *a,"
             " **k)\nimport storage.users\nprint(len(calls))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "0"


def test_the_lazy_list_is_every_command_with_its_own_help() -> None:
    import importlib

    for lazy in LAZY_COMMANDS:
        for module in lazy.modules:
            importlib.import_module(f"vigie.commands.{module}")
    full = get_group(app)
    assert {c.name for c in LAZY_COMMANDS} == set(full.commands)
    for lazy in LAZY_COMMANDS:
        import inspect

        help_text = full.commands[lazy.name].help or ""
        first = inspect.cleandoc(help_text).split("\n\n")[0]
        assert " ".join(first.split()) == lazy.summary, lazy.name
        # a command registered by one module only is not claimed by another
        group = full.commands[lazy.name]
        if isinstance(group, TyperGroup):
            ctx = typer.Context(group)
            owners = {group.get_command(ctx, n).callback.__module__  # type: ignore[union-attr]
                      for n in group.list_commands(ctx)}
            assert owners <= {f"vigie.commands.{m}" for m in lazy.modules}, lazy.name
        else:
            callback = group.callback
            assert callback is not None
            assert callback.__module__ in {f"vigie.commands.{m}" for m in lazy.modules}


def test_help_lists_the_same_commands_lazily_as_when_everything_is_loaded() -> None:
    eager = ("import importlib\n"
             + "".join(f"importlib.import_module('vigie.commands.{m}')\n"
                       for c in LAZY_COMMANDS for m in c.modules))
    outputs = []
    for prelude in ("", eager):
        probe = (prelude + "from vigie.cli import app\n"
                 "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n")
        done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                              capture_output=True, text=True, timeout=120,
                              env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"})
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "sites" in outputs[0]


def test_the_crawl_default_redis_prefix_is_the_crawlers_own() -> None:
    from crawlers.distributed import DEFAULT_PREFIX
    from vigie.commands import core

    assert core.DEFAULT_PREFIX == DEFAULT_PREFIX


def test_options_are_still_converted_and_checked_when_given() -> None:
    """The converters built on demand (vigie.commands.coercion) still convert and check a value
    given on the command line, and a group's defaults still reach its callback."""
    from typer.testing import CliRunner

    runner = CliRunner()
    bad = runner.invoke(app, ["runs", "--limit", "0"])
    assert bad.exit_code == 2
    assert "--limit" in bad.output
    assert runner.invoke(app, ["runs", "--limit", "many"]).exit_code == 2
    assert runner.invoke(app, ["networks", "--min-zones", "-1"]).exit_code == 2


def test_a_deferred_converter_converts_like_typers_own(tmp_path: Path) -> None:
    from typer import _click

    from vigie.commands.coercion import defer

    seen: list[tuple[int, Path, str | None]] = []
    probe = typer.Typer()

    @probe.command()
    def run(
        limit: Annotated[int, typer.Option(min=1)] = 50,
        out: Annotated[Path, typer.Option()] = Path("-"),
        since: Annotated[str | None, typer.Option()] = None,
    ) -> None:
        seen.append((limit, out, since))

    command = typer.main.get_command(probe)
    defer(command.get_params(typer.Context(command)))

    def invoke(args: list[str]) -> int:
        try:
            command.main(args, prog_name="run", standalone_mode=False)
        except _click.exceptions.UsageError:
            return 2
        return 0

    assert invoke([]) == 0
    assert invoke(["--limit", "7", "--out", str(tmp_path), "--since", "x"]) == 0
    assert invoke(["--limit", "0"]) == 2
    assert invoke(["--limit", "many"]) == 2
    assert seen == [(50, Path("-"), None), (7, tmp_path, "x")]
    assert isinstance(seen[1][1], Path)
