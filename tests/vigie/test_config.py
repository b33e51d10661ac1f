from __future__ import annotations

from pathlib import Path

import pytest

from vigie.config import ConfigError, load_settings


def test_defaults_use_sqlite_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VIGIE_DATABASE_URL", raising=False)
    monkeypatch.setenv("VIGIE_DATA_DIR", str(tmp_path))
    s = load_settings()
    assert s.database == f"sqlite:///{tmp_path}/vigie.db"
    assert s.region == "BE"
    assert (s.sites_dir / "demo-static.yaml").is_file()


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIE_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("VIGIE_REGION", "nl")
    s = load_settings()
    assert s.database == "postgresql+psycopg://u@h/db"
    assert s.region == "NL"
    assert isinstance(s.data_dir, Path)


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("VIGIE_REGION", "XX", "VIGIE_REGION: expected an ISO country code"),
        ("VIGIE_DATABASE_URL", "vigie.db", "VIGIE_DATABASE_URL: expected a URL"),
        ("VIGIE_LOG_LEVEL", "loud", "VIGIE_LOG_LEVEL: expected DEBUG"),
        ("VIGIE_RETENTION_MONTHS", "0", "VIGIE_RETENTION_MONTHS: expected a number of months"),
        ("VIGIE_REVIEW_MONTHS", "121", "VIGIE_REVIEW_MONTHS: expected a number of months"),
    ],
)
def test_bad_settings_fail_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str, message: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_retention_periods_default_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (load_settings().retention_months, load_settings().review_months) == (12, 6)
    monkeypatch.setenv("VIGIE_RETENTION_MONTHS", "24")
    monkeypatch.setenv("VIGIE_REVIEW_MONTHS", "3")
    s = load_settings()
    assert (s.retention_months, s.review_months) == (24, 3)
