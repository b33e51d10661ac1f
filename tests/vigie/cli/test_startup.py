"""A command line that starts at once (issue 18.4): `vigie --help` and `vigie --version` import
none of the heavy libraries; the lazily listed commands are the real ones, with their help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.core import TyperGroup
from typer.main import get_group

from vigie.cli import LAZY_COMMANDS, app

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("sklearn", "scipy", "jsonschema", "alembic", "pygments.lexers", "scrapy", "sqlalchemy",
         "argon2", "numpy", "spacy", "twisted", "pydantic")


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
                    and m != "vigie.commands.base"], args


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
