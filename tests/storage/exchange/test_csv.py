"""CSV for spreadsheets (#19.4, #17.10, #17.11): BOM, `;` by default, text that stays text,
formulas neutralised under either separator with the apostrophe only where needed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storage.exchange import csvfmt
from storage.exchange.formats import detect, read
from storage.exchange.model import ExchangeBundle, ExchangeIndicator
from storage.repository import Store
from vigie.cli import app

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cells(data: bytes, delimiter: str) -> list[str]:
    """Every cell a spreadsheet sees when it splits the file on `delimiter`."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    return [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for c in row]


HOSTILE = ("http://example.invalid/a;=1+1;b", "Lina,=HYPERLINK(\"x\"),@SUM(1)",
           "-2+3", "'=already quoted", "a;'b,'", "x;\t=1", "@home")


def test_no_cell_is_a_formula_under_either_separator(bundle: ExchangeBundle) -> None:
    hostile = tuple(ExchangeIndicator("alias", v) for v in HOSTILE)
    evil = replace(bundle, indicators=(*bundle.indicators, *hostile), networks=())
    for delimiter in (";", ","):
        data = csvfmt.dumps(evil, delimiter=delimiter)
        for read_with in (";", ","):
            bad = [c for c in _cells(data, read_with) if c.startswith(FORMULA_START)]
            assert bad == [], (delimiter, read_with)
        back = csvfmt.loads(data)
        assert [i.value for i in back.indicators] == [i.value for i in evil.indicators]


def test_the_apostrophe_only_where_needed_and_numbers_stay_text(bundle: ExchangeBundle) -> None:
    values = ExchangeIndicator("image", "0123456789012345", platform="dhash"), ExchangeIndicator(
        "handle", "00471", platform="telegram"), ExchangeIndicator("alias", "Anaïs")
    data = csvfmt.dumps(replace(bundle, indicators=values, networks=()))
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
    text = data.decode("utf-8")
    assert text.splitlines()[0] == "\ufeff" + ";".join(csvfmt.COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [r["value"] for r in rows] == ["'0123456789012345", "'00471", "Anaïs"]
    assert [r["score"] for r in rows] == ["0", "0", "0"]  # numbers stay numbers
    assert [r["exporting_zone"] for r in rows] == ["'5344"] * 3
    assert [i.value for i in csvfmt.loads(data).indicators] == [v.value for v in values]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_file_with_a_bom_and_either_separator_is_read(bundle: ExchangeBundle,
                                                        delimiter: str) -> None:
    data = csvfmt.dumps(bundle, delimiter=delimiter)
    assert detect(data).name == "csv"
    fmt, back = read(data)
    assert sorted(back.indicators, key=lambda i: i.key) == sorted(bundle.indicators,
                                                                 key=lambda i: i.key)
    without_bom = data.removeprefix(b"\xef\xbb\xbf")
    assert read(without_bom)[1].indicators == back.indicators


def test_csv_exports_flagged_ads_unless_asked_for_all(
    add_ad: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIGIE_DATABASE_URL", raising=False)
    data_dir = tmp_path / "5344"
    data_dir.mkdir()
    with Store.open(f"sqlite:///{data_dir / 'vigie.db'}") as zone:
        add_ad(zone, "1", zone="5344", phones=("+32470111111",), score=0.9, flags=("minor",))
        add_ad(zone, "2", zone="5344", phones=("+32470222222",), score=0.1)
    env = {"VIGIE_DATA_DIR": str(data_dir), "VIGIE_ZONE": "5344", "VIGIE_USER": "a",
           "VIGIE_KEYS_DIR": str(data_dir / "keys"), "COLUMNS": "200"}
    out = tmp_path / "x.csv"
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--reason", "r", "-o",
                                      str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "flagged ads only; --all for every ad" in result.output
    assert "+32470111111" in out.read_text("utf-8")
    assert "+32470222222" not in out.read_text("utf-8")
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--all", "--delimiter", ",",
                                      "--reason", "r", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "+32470222222" in out.read_text("utf-8")
    assert out.read_text("utf-8-sig").startswith("kind,platform,")
