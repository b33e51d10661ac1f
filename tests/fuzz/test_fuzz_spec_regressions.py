"""Regressions: site specs the fuzzers found, each refused now with one line per problem, every
line naming the file (the SpecError contract, tests/fuzz/outcomes.py `check_spec_refusal`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.errors import SpecError
from crawlers.sitespec import MAX_DEPTH, load_spec, parse_spec
from tests.fuzz.outcomes import check_spec_refusal


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Was a RecursionError from PyYAML's composer.
        ("[" * 5000 + "]" * 5000, f"line 1, column {MAX_DEPTH + 1}: nested deeper than"),
        ("a:\n" + "".join(f"{' ' * i}b{i}:\n" for i in range(1, 40)), "line 33, column 33: nested"),
        # Was a two-line message (PyYAML's ReaderError text), not one line per problem.
        ("name: x\nrender: st\x01atic\n", "line 2, column 11: invalid YAML: character #x0001"),
        ("\x00", "line 1, column 1: invalid YAML: character #x0000 is not allowed"),
    ],
    ids=["deep-flow", "deep-block", "control-char", "nul"],
)
def test_hostile_yaml_is_refused_in_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(Path("x.yaml"))
    check_spec_refusal(err.value, "x.yaml")
    assert str(err.value).startswith(f"x.yaml: {message}")


def test_nesting_up_to_the_limit_is_still_read_as_yaml(tmp_path: Path) -> None:
    # MAX_DEPTH levels parse; the spec is then refused for its content, not its depth.
    path = tmp_path / "x.yaml"
    path.write_text("[" * MAX_DEPTH + "]" * MAX_DEPTH, encoding="utf-8")
    with pytest.raises(SpecError, match="expected a mapping of spec fields, got a list"):
        load_spec(path)


@pytest.mark.parametrize(
    ("doc", "line"),
    [
        # Found by hypothesis: a raw line break in an unknown key split the message.
        ({"listing": {"\n": None}}, 'x.yaml: listing["\\n"]: unknown field (expected one of: '),
        ({"a.b": 1}, 'x.yaml: ["a.b"]: unknown field (expected one of: name, '),
        ({"ad": {"x\ny": 1}}, 'x.yaml: ad["x\\ny"]: unknown field'),
    ],
    ids=["newline-key", "dotted-key", "newline-in-ad"],
)
def test_an_unknown_key_is_quoted_in_the_field_path(doc: object, line: str) -> None:
    with pytest.raises(SpecError) as err:
        parse_spec(doc, source="x.yaml")
    check_spec_refusal(err.value, "x.yaml")
    assert any(m.startswith(line) for m in str(err.value).split("\n")), str(err.value)
