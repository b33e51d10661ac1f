from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vigie.batch import LineError, parse_line, run
from vigie.cli import app

ADS = [
    {
        "id": "a1",
        "title": "Lola, 22 ans",
        "text": "Appelle-moi au 0470 12 34 56, Schaerbeek.",
        "location_text": "Schaerbeek",
    },
    {
        "id": "a2",
        "title": "Mia",
        "text": "I'm Mia, 17 years old, call +32 486 11 22 33",
        "lang": "en",
    },
]


def test_parse_line_checks_types() -> None:
    raw = parse_line(json.dumps(ADS[0]))
    assert (raw.ad_id, raw.site, raw.location_text) == ("a1", "batch", "Schaerbeek")


def test_output_follows_the_contract_in_input_order() -> None:
    lines = [json.dumps(a) for a in ADS]
    out = list(run(lines, region="BE"))
    assert [o["id"] for o in out if isinstance(o, dict)] == ["a1", "a2"]
    first = out[0]
    assert isinstance(first, dict)
    assert set(first) == {
        "id",
        "phones",
        "phone_regions",
        "contacts",
        "aliases",
        "ages",
        "commune",
        "zone",
        "indicators",
        "minor_score",
        "trafficking_score",
        "flags",
    }
    assert first["phones"] == ["+32470123456"]
    assert first["phone_regions"] == [{"e164": "+32470123456", "region": "BE", "candidates": []}]
    assert first["zone"] == "5344"
    assert 22 in first["ages"]
    second = out[1]
    assert isinstance(second, dict)
    assert second["phones"] == ["+32486112233"]
    assert "minor" in second["flags"]
    assert 0.0 <= second["minor_score"] <= 1.0
    assert all({"code", "category", "evidence"} <= set(i) for i in second["indicators"])


def test_malformed_lines_are_reported_and_skipped() -> None:
    lines = [
        json.dumps(ADS[0]),
        "{not json",
        json.dumps({"id": 3, "title": "x", "text": "y"}),
        json.dumps(ADS[1]),
    ]
    out = list(run(lines, region="BE"))
    errors = [o for o in out if isinstance(o, LineError)]
    assert [e.line_no for e in errors] == [2, 3]
    assert "not JSON" in errors[0].message
    assert "'id': expected a string" in errors[1].message
    assert [o["id"] for o in out if isinstance(o, dict)] == ["a1", "a2"]


def test_cli_analyze_writes_jsonl_and_exits_1_when_lines_were_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ADS[0]) + "\n[1, 2]\n" + json.dumps(ADS[1]) + "\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["analyze", str(src), "-o", str(dst)])
    assert result.exit_code == 1
    assert "in.jsonl:2: skipped: expected a JSON object" in result.stderr
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2"]


def test_cli_analyze_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_an_optional_network_size_feeds_the_network_feature() -> None:
    ad = {
        "id": "n1",
        "title": "Nina",
        "text": "Disponible 24h/24 et 7j/7, appelle le 0470 12 34 56.",
    }
    lines = [
        json.dumps(ad),
        json.dumps({**ad, "network_size": 12}),
        json.dumps({**ad, "network_size": None}),
    ]
    alone, linked, unknown = (o for o in run(lines, region="BE") if isinstance(o, dict))
    assert linked["trafficking_score"] > alone["trafficking_score"] == unknown["trafficking_score"]
    shared = [i for i in linked["indicators"] if i["category"] == "shared_contact"]
    assert [i["description"].endswith("(12 ads)") for i in shared] == [True]
    assert shared[0]["evidence"] == ["0470 12 34 56"]
    assert not [i for i in alone["indicators"] if i["category"] == "shared_contact"]


def test_a_bad_network_size_is_a_line_error() -> None:
    ad = {"id": "n1", "title": "Nina", "text": "Bonjour."}
    for bad in ("12", -1, 2.5, True):
        out = list(run([json.dumps({**ad, "network_size": bad})], region="BE"))
        assert isinstance(out[0], LineError)
        assert "'network_size'" in out[0].message


def _hostile_batch(tmp_path: Path) -> Path:
    good = [json.dumps(a).encode() for a in ADS]
    lines = [
        good[0],
        b'{"id": "x1", "title": "t", "text": "caf\xe9 \xff\xfe"}',  # invalid UTF-8
        b"[" * 200_000 + b"]" * 200_000,  # nested too deeply for the parser
        b'{"id": "x2", "title": "t", "text": "t", "network_size": ' + b"9" * 5000 + b"}",
        b'{"id": "\\ud800", "title": "t", "text": "t"}',  # a lone surrogate in the id
        b'{"id": "x3", "title": "t", "text": "' + b"a" * (6 << 20) + b'"}',  # a 6 MB line
        good[1],
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_one_bad_line_never_stops_a_batch(tmp_path: Path) -> None:
    src, out = _hostile_batch(tmp_path), tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["analyze", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a1", "a2"]
    for no, why in [
        (2, "not UTF-8"),
        (3, "not JSON this program reads: nested too deeply"),
        (4, "not JSON this program reads: a number too long to read"),
        (5, "field 'id': holds a lone surrogate"),
        (6, "line too long"),
    ]:
        assert f"hostile.jsonl:{no}: skipped: {why}" in result.output
    assert "5 line(s) skipped." in result.output


def test_an_over_long_line_is_never_held_whole() -> None:
    import io

    from vigie.batch import MAX_LINE_BYTES, read_lines

    stream = io.BytesIO(b"x" * (5 * MAX_LINE_BYTES) + b"\n" + b'{"id": 1}\n')
    lines = list(read_lines(stream))
    assert len(lines) == 2
    assert len(lines[0]) == MAX_LINE_BYTES + 1
    assert lines[1] == b'{"id": 1}\n'


def test_a_very_long_text_is_cut_before_analysis() -> None:
    from vigie.batch import MAX_FIELD_CHARS, parse_input

    raw, _ = parse_input(json.dumps({"id": "l", "title": "t", "text": "a " * MAX_FIELD_CHARS}))
    assert len(raw.text) == MAX_FIELD_CHARS


def test_an_ambiguous_national_number_is_reported_with_its_candidates() -> None:
    ad = {"id": "x", "title": "", "text": "Appelle-moi : 06 12 34 56 78"}
    out = next(iter(run([json.dumps(ad)], region="BE")))
    assert isinstance(out, dict)
    (phone,) = out["phone_regions"]
    # valid in France and the Netherlands (and more), not in Belgium, and nothing says which
    assert {"+33612345678", "+31612345678"} <= {phone["e164"], *phone["candidates"]}


def test_the_region_reads_plain_national_numbers_of_that_country() -> None:
    ad = {"id": "u", "title": "Jade", "text": "Jade, 24. Call me at 713 405 2298"}
    us = next(iter(run([json.dumps(ad)], region="US")))
    be = next(iter(run([json.dumps(ad)], region="BE")))
    assert isinstance(us, dict)
    assert isinstance(be, dict)
    assert us["phones"] == ["+17134052298"]
    assert be["phones"] == []  # no trunk 0, no country named: not a Belgian number
