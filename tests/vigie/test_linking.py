"""`vigie link` (batch contract) and `vigie evaluate networks` (demo ground truth)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.linkscore import PairScores, pairwise
from vigie.cli import app
from vigie.linkbatch import parse_line

BASE = 0x8F3A5C7E12345678


def _line(ad_id: str, **fields: object) -> str:
    return json.dumps({"id": ad_id, **fields})


def test_link_writes_one_network_per_ad_in_input_order(tmp_path: Path) -> None:
    lines = [
        _line("a1", phones=["+32470000001"], zone="5339", posted_at="2026-10-01T10:00:00+00:00",
              image_hashes=[{"phash": f"{BASE:016x}", "dhash": "0000000000000000"}]),
        _line("a2", phones=["+32470000002"], image_hashes=[{"phash": f"{BASE ^ 0b111:016x}"}]),
        _line("a3", phones=["+32470000002"], zone="5344"),
        _line("a4", phones=["+32470000009"], contacts=[{"kind": "url", "value": "http://x"}]),
        _line("b1", contacts=[{"kind": "telegram", "value": "lola"}]),
        _line("b2", contacts=[{"kind": "telegram", "value": "lola"}], minor_score=0.9),
        "",
    ]
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(src), "-o", str(dst)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4", "b1", "b2"]
    net = {r["id"]: r["network"] for r in rows}
    assert net["a1"] == net["a2"] == net["a3"] is not None
    assert net["b1"] == net["b2"] is not None
    assert net["b1"] != net["a1"]
    assert net["a4"] is None
    # A smaller image radius cuts the image edge: a1 is then alone.
    result = CliRunner().invoke(app, ["link", str(src), "-o", str(dst), "--image-radius", "2"])
    assert result.exit_code == 0
    again = {json.loads(x)["id"]: json.loads(x)["network"] for x in dst.read_text().splitlines()}
    assert again["a1"] is None
    assert again["a2"] == again["a3"] is not None


def test_link_skips_bad_lines_with_their_reason(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join([
        _line("ok1", phones=["+32470000001"]),
        "not json",
        _line("bad", image_hashes=[{"phash": "xyz"}]),
        _line("ok2", phones=["+32470000001"]),
    ]), encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(src), "-o", str(dst)])
    assert result.exit_code == 1
    assert "in.jsonl:2: skipped: not JSON" in result.output
    assert "in.jsonl:3: skipped: image_hashes[0].phash" in result.output
    rows = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["ok1", "ok2"]
    assert rows[0]["network"] == rows[1]["network"] is not None
    missing = CliRunner().invoke(app, ["link", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.output


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 3}', "'id'"),
        ('{"id": "x", "phones": "+32470000001"}', "'phones'"),
        ('{"id": "x", "contacts": [{"kind": "telegram"}]}', "'contacts'"),
        ('{"id": "x", "posted_at": "yesterday"}', "'posted_at'"),
        ('{"id": "x", "minor_score": "high"}', "'minor_score'"),
        ("[1]", "object"),
    ],
)
def test_bad_input_lines_say_what_is_wrong(line: str, message: str) -> None:
    from vigie.batch import BadLine

    with pytest.raises(BadLine, match=message):
        parse_line(line)


def test_pairwise_scores_count_pairs() -> None:
    truth = {"a": "G1", "b": "G1", "c": "G1", "d": None, "e": "G2", "f": "G2"}
    predicted = {"a": "X", "b": "X", "c": None, "d": "X", "e": "Y", "f": "Y"}
    s = pairwise(0, predicted, truth)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (4, 4, 2)
    assert s.precision == s.recall == s.f1 == 0.5


@pytest.mark.slow
def test_evaluate_networks_meets_the_floor_on_two_demo_seeds() -> None:
    result = CliRunner().invoke(app, ["evaluate", "networks", "--seed", "7", "--seed", "8"])
    assert result.exit_code == 0, result.output  # exit 1 when a seed's pairwise F1 < 0.95
    rows = [line.split("│") for line in result.output.splitlines() if line.count("│") > 5]
    by_seed = {r[1].strip(): [c.strip() for c in r[1:-1]] for r in rows if r[1].strip().isdigit()}
    assert set(by_seed) == {"7", "8"}
    for cells in by_seed.values():
        true_pairs, predicted, correct = (int(c) for c in cells[2:5])
        assert true_pairs > 10  # the demo plants networks
        assert correct / true_pairs >= 0.9
        assert correct / predicted >= 0.9
        assert float(cells[-1]) >= 0.95


def test_evaluate_networks_fails_below_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    import vigie.linkeval

    def poor(seed: int, config: object = None) -> PairScores:
        return PairScores(seed, 90, true_pairs=30, predicted_pairs=60, correct_pairs=20)

    monkeypatch.setattr(vigie.linkeval, "evaluate_demo", poor)
    result = CliRunner().invoke(app, ["evaluate", "networks", "--seed", "1"])
    assert result.exit_code == 1
    assert "below target" in result.output
