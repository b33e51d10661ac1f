"""`vigie purge` and `vigie retention report` as a data-protection officer runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.types import Analysis, PhoneMatch, RawAd
from storage.audit import AuditLog
from storage.repository import Store
from storage.reviews import record_decision
from vigie.cli import app
from vigie.commands import retention  # noqa: F401 — registers purge/retention (as vigie/cli.py does)

OLD = datetime.now(UTC) - timedelta(days=500)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("VIGIE_DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{tmp_path / 'vigie.db'}") as store:
        for n, flags in enumerate(((), (), ("minor",), ())):
            raw = RawAd("demo-static", f"A{n}", f"http://127.0.0.1/ad/A{n}", "Titre", "Texte")
            analysis = Analysis(raw.site, raw.ad_id, phones=(PhoneMatch(f"+3247012000{n}", "BE",
                                False, ()),), minor_score=0.9 if flags else 0.1, flags=flags)
            store.save(raw, analysis, seen_at=OLD)
        record_decision(store.engine, site="demo-static", ad_id="A3", actor="inv", zone="5339",
                        decision="confirm", at=OLD)
    return {"VIGIE_DATA_DIR": str(tmp_path), "VIGIE_USER": "dpo", "COLUMNS": "200"}


def _run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def _count(data_dir: str) -> int:
    with Store.open(f"sqlite:///{Path(data_dir) / 'vigie.db'}") as store:
        return store.count_ads()


def test_dry_run_then_purge_with_a_reason(env: dict[str, str]) -> None:
    code, output = _run(env, "purge", "--dry-run")
    assert code == 0, output
    assert "Would erase 2 ads" in output
    assert "1 flagged, 1 reviewed, 0 open alert" in output
    assert _count(env["VIGIE_DATA_DIR"]) == 4
    code, output = _run(env, "purge", "--reason", "retention policy 2026")
    assert code == 0, output
    assert "Erased 2 ads" in output
    assert _count(env["VIGIE_DATA_DIR"]) == 2
    with Store.open(f"sqlite:///{Path(env['VIGIE_DATA_DIR']) / 'vigie.db'}") as store:
        entries = AuditLog(store.engine).entries(action="purge")
    assert len(entries) == 3  # two ads and the summary
    assert {e.actor for e in entries} == {"dpo"}
    assert {e.reason for e in entries} == {"retention policy 2026"}


def test_purge_without_reason_or_with_a_bad_period_fails_in_one_line(
    env: dict[str, str],
) -> None:
    code, output = _run(env, "purge")
    assert code == 2
    assert "--reason is required" in output
    assert _count(env["VIGIE_DATA_DIR"]) == 4
    code, _ = _run(env, "purge", "--dry-run", "--older-than", "0")
    assert code == 2
    code, output = _run(env, "purge", "--dry-run", "--older-than", "24")
    assert code == 0
    assert "Would erase 0 ads" in output


def test_retention_report_lists_held_ads_and_is_audited(env: dict[str, str]) -> None:
    code, output = _run(env, "retention", "report")
    assert code == 0, output
    assert "Due for erasure now: 2 ads" in output
    assert "Held past retention, reason older than the review period: 2 ads" in output
    assert "demo-static/A2" in output
    assert "demo-static/A3" in output
    assert "reviewed: confirm by inv" in output
    with Store.open(f"sqlite:///{Path(env['VIGIE_DATA_DIR']) / 'vigie.db'}") as store:
        assert AuditLog(store.engine).count(action="retention_report") == 1
