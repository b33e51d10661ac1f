"""A small stored database for the command-line tests, with hostile crawled values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from pipeline.types import Analysis, Indicator, PhoneMatch, Place, RawAd, Span
from storage.repository import Store
from vigie.cli import app

HOSTILE_ID = "[/]"
HOSTILE_TEXT = "[bold]loud[/bold] [link=http://x.invalid]click[/link] \x1b[31mred\x1b[0m"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in ("VIGIE_DATABASE_URL", "VIGIE_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    seen = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    with Store.open(f"sqlite:///{tmp_path / 'vigie.db'}") as store:
        for n, ad_id in enumerate(("A1", HOSTILE_ID, "[link=http://x.invalid]x[/link]")):
            raw = RawAd("demo-static", ad_id, f"http://127.0.0.1/ad/{n}", "Titre", HOSTILE_TEXT)
            span = Span("text", 0, 10, HOSTILE_TEXT[:30])
            analysis = Analysis(
                raw.site, raw.ad_id,
                phones=(PhoneMatch(f"+3247012000{n}", "BE", False, ()),),
                place=Place("Ixelles", "5342", "1050", True, ()),
                indicators=(Indicator("young", "minor", HOSTILE_TEXT, (span,), 0.8),),
                minor_score=0.9, flags=("minor",),
            )
            store.save(raw, analysis, seen_at=seen)
    return {"VIGIE_DATA_DIR": str(tmp_path), "VIGIE_USER": "dpo", "COLUMNS": "250"}


Run = Callable[..., Result]


@pytest.fixture
def run(env: dict[str, str]) -> Run:
    """`run("ads", "--json")`: the command's result, in the fixture's environment."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(app, list(args), env=env, input=input)

    return invoke
