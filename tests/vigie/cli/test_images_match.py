"""`vigie images match QUERY… --against DIR`: the pictures Vigie would link, with evidence, and
nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PIL import ImageOps
from typer.testing import Result

from vigie.demo.images import base_image

Run = Callable[..., Result]


def test_match_lists_the_copies_of_each_query_with_their_evidence(run: Run, tmp_path: Path
                                                                   ) -> None:
    folder = tmp_path / "against"
    (folder / "sub").mkdir(parents=True)
    base_image(41).save(tmp_path / "query.png")
    ImageOps.mirror(base_image(41)).save(folder / "sub" / "mirrored.jpg", quality=85)
    base_image(41).crop((20, 15, 300, 225)).save(folder / "cropped.png")
    base_image(42).save(folder / "other.png")
    (folder / "notes.txt").write_text("not a picture")
    before = sorted(p for p in tmp_path.rglob("*"))
    result = run("images", "match", str(tmp_path / "query.png"), str(folder / "notes.txt"),
                 "--against", str(folder), "--json")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    found = {Path(m["image"]).name: m for m in first["matches"]}
    assert set(found) == {"mirrored.jpg", "cropped.png"}
    assert found["mirrored.jpg"]["kind"] == "dct"
    assert "flip_lr" in found["mirrored.jpg"]["regions"]
    assert all(isinstance(m["distance"], int) for m in first["matches"])
    assert second == {"query": str(folder / "notes.txt"), "error": "format", "matches": []}
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written

    table = run("images", "match", str(tmp_path / "query.png"), "--against", str(folder))
    assert table.exit_code == 0
    assert "mirrored.jpg" in table.stdout
    assert "bits" in table.stdout


def test_match_against_a_missing_folder_is_one_line_and_exit_2(run: Run, tmp_path: Path) -> None:
    base_image(41).save(tmp_path / "query.png")
    result = run("images", "match", str(tmp_path / "query.png"), "--against",
                 str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "not a folder" in result.output
