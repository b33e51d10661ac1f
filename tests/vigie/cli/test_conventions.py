"""Command-line conventions (issue 19.5): --json listings, --version, completion, one-line
errors with exit 2 whatever library failed, and help texts that name only real commands."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner, Result

from crawlers import sitespec
from vigie.cli import app

Run = Callable[..., Result]


def _lines(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_ads_json_is_one_object_per_line(run: Run) -> None:
    rows = _lines(run("ads", "--json"))
    assert len(rows) == 3
    assert {r["ad"] for r in rows} == {"A1", "[/]", "[link=http://x.invalid]x[/link]"}
    assert all(r["zone"] == "5342" and r["flags"] == ["minor"] for r in rows)
    assert rows[0]["phones"]
    assert str(rows[0]["last_seen"]).startswith("2026-07-01T10:00:00")


def test_networks_runs_users_json(run: Run) -> None:
    assert _lines(run("networks", "--json")) == []  # not linked yet: no network, no line
    assert _lines(run("runs", "--json")) == []
    added = run("users", "add", "ana", "--password-stdin", input="correct horse battery 9\n")
    assert added.exit_code == 0, added.output
    (user,) = _lines(run("users", "list", "--json"))
    assert user["username"] == "ana"
    assert user["disabled"] is False


def test_matches_json(run: Run) -> None:
    assert _lines(run("matches", "--json")) == []


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"vigie \d+\.\d+\.\d+\S*\n", result.output)


def test_shell_completion_is_offered() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert "--install-completion" in result.output
    assert "--show-completion" in result.output


def _boom(exc: BaseException) -> Callable[..., None]:
    def command(*_args: object) -> None:
        raise exc

    return command


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(28, "No space left on device"), "OSError: [Errno 28] No space left on device"),
        (KeyError("comment"), "KeyError: 'comment'"),
        (RuntimeError("line one\nTraceback (most recent call last):\n  x"),
         "RuntimeError: line one"),
    ],
)
def test_any_library_failure_is_one_line_and_exit_2(
    exc: BaseException, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sitespec, "load_specs", _boom(exc))
    result = CliRunner().invoke(app, ["sites"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {expected}"
    assert "Traceback" not in result.output


def test_sqlalchemy_and_scrapy_failures_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from scrapy.exceptions import NotConfigured
    from sqlalchemy.exc import OperationalError

    db_error = OperationalError("SELECT 1", {}, Exception("connection to postgresql://u:pw@h/db"
                                                          " refused\nDETAIL: more"))
    for exc, expected in ((db_error, "Exception: connection to postgresql://u:***@h/db refused"),
                          (NotConfigured("no spider"), "NotConfigured: no spider")):
        monkeypatch.setattr(sitespec, "load_specs", _boom(exc))
        result = CliRunner().invoke(app, ["sites"])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"error: {expected}"


def test_usage_errors_keep_clicks_exit_2() -> None:
    result = CliRunner().invoke(app, ["ads", "--limit", "0"])
    assert result.exit_code == 2


def _commands(group: TyperGroup, path: tuple[str, ...] = ()) -> Iterator[
    tuple[tuple[str, ...], typer.core.TyperCommand]
]:
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*path, name), command
        if isinstance(command, TyperGroup):
            yield from _commands(command, (*path, name))


def _help_texts(root: TyperGroup) -> Iterator[tuple[str, str]]:
    yield "vigie", root.help or ""
    for path, command in _commands(root):
        texts = [command.help or "", command.short_help or ""]
        texts += [getattr(p, "help", None) or "" for p in command.params]
        yield " ".join(path), "\n".join(texts)


NAMED = re.compile(r"`?vigie((?: [a-z][a-z-]*)+)")


def test_every_command_a_help_text_names_exists() -> None:
    root = get_command(app)
    assert isinstance(root, TyperGroup)
    known = {path for path, _ in _commands(root)}
    named = 0
    for where, text in _help_texts(root):
        for match in NAMED.finditer(text):
            words = tuple(match.group(1).split())
            # the longest prefix that is a command, then the rest must be arguments or prose:
            # the first word at least must be a command
            assert (words[0],) in known, f"{where}: help names `vigie {words[0]}`"
            if len(words) > 1 and (words[0], words[1]) not in known:
                command = root.get_command(typer.Context(root), words[0])
                assert not isinstance(command, TyperGroup), (
                    f"{where}: help names `vigie {' '.join(words[:2])}`")
            named += 1
    assert named >= 3  # the walk did read the help texts
    assert len(known) > 20


def test_purge_help_names_a_command_that_rebuilds_the_stored_networks() -> None:
    root = get_command(app)
    assert isinstance(root, TyperGroup)
    purge = root.get_command(typer.Context(root), "purge")
    assert purge is not None
    assert "vigie link" not in (purge.help or "")


def test_a_network_as_json() -> None:
    from datetime import UTC, datetime

    from pipeline.types import ForeignLink, Network
    from vigie import jsonrows

    link = ForeignLink(ad=("s", "1"), source_zone="5344", file_name="f.json",
                       file_sha256="0" * 64, kind="phone", platform="", value="v",
                       pseudonymised=False)
    net = Network("N1", (("s", "1"), ("s", "2")), (), phones=("+32470000001",), zones=("5339",),
                  movement=("5339",), first_seen=datetime(2026, 1, 1, tzinfo=UTC),
                  last_seen=datetime(2026, 2, 1, tzinfo=UTC), risk=0.5, foreign=(link,))
    row = json.loads(json.dumps(jsonrows.network(net), default=str))
    assert row["network"] == "N1"
    assert row["ads"] == [["s", "1"], ["s", "2"]]
    assert row["also_seen_by"] == ["5344"]
    assert row["first_seen"].startswith("2026-01-01")
