"""Crawled values printed to the terminal show as text (issue 17.4): rich markup in an ad id or
its text neither crashes `vigie ads` nor styles or links anything; control characters (ANSI
escape sequences) are removed."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import Result

from pipeline.types import Network
from storage.repository import Store
from storage.runs import RunLog
from vigie import console as show
from vigie.terminal import safe

Run = Callable[..., Result]
MARKUP = ("[/]", "[bold]loud[/bold]", "[link=http://x.invalid]")


def test_vigie_ads_shows_hostile_ids_and_text_as_written(run: Run) -> None:
    result = run("ads")
    assert result.exit_code == 0, result.output
    assert "[/]" in result.stdout  # the id that made rich raise MarkupError
    assert "[link=http://x.invalid]x[/link]" in result.stdout.replace("\n", "")
    assert "[bold]loud[/bold]" in result.stdout
    assert "\x1b" not in result.stdout
    assert "red" in result.stdout  # the text around the escape sequence is kept


@pytest.mark.parametrize("value", [*MARKUP, "a\x1b[31mb", "a\x1b]0;title\x07b", "\u202eevil"])
def test_safe_prints_exactly_the_printable_text(value: str) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=True, color_system="truecolor")
    console.print(safe(value), highlight=False, end="")
    printed = buffer.getvalue()
    assert printed == value.replace("\x1b", "").replace("\x07", "").replace("\u202e", "")


def test_networks_table_escapes_ids_phones_aliases_and_zones() -> None:
    hostile = Network("[/]", (("s", "[/]"),), (), phones=("[bold]+32[/]",),
                      aliases=("[link=http://x.invalid]al[/link]", "\x1b[2J"),
                      zones=("[red]5339",), movement=("[/]",))
    buffer = io.StringIO()
    show.networks(Console(file=buffer, width=250, force_terminal=True), [hostile])
    text = buffer.getvalue()
    for shown in ("[/]", "[bold]+32[/]", "[link=http://x.invalid]al[/link]", "[red]5339"):
        assert shown in text
    assert "\x1b[2J" not in text
    assert "\x1b]8;" not in text  # no terminal hyperlink


def test_runs_escapes_a_hostile_failure_message(run: Run, env: dict[str, str]) -> None:
    db = Path(env["VIGIE_DATA_DIR"]) / "vigie.db"
    with Store.open(f"sqlite:///{db}") as store:
        log = RunLog(store.engine)
        run_id = log.start(site="[/]site", zone="5339")
        log.finish(run_id, status="failed", message="[link=http://x.invalid]boom\x1b[31m")
    result = run("runs")
    assert result.exit_code == 0, result.output
    cells = "".join(result.stdout.replace("│", "").split())  # the table's wrapped cells
    assert "[/]site" in result.stdout  # a site name is never cut
    assert "failed:[link=http://x.invalid]boom" in cells
    assert "\x1b" not in result.stdout


def test_analyze_reports_a_hostile_bad_line_as_text(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vigie.cli import app

    source = tmp_path / "ads.jsonl"
    source.write_text('{"site": "[/]", "id": "[link=http://x.invalid]\\u001b[31m"}\n', "utf-8")
    result = CliRunner().invoke(app, ["analyze", str(source), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1
    assert "skipped" in result.stderr
    assert "\x1b" not in result.stderr
