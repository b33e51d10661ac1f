"""Vigie's configuration: read once from the environment (prefix `VIGIE_`), typed, passed down.

Components never read the environment themselves; the CLI builds one `Settings` at start-up and
hands the values to what it calls. A bad value fails here, with the variable's name.
"""

from __future__ import annotations

from pathlib import Path

import phonenumbers
from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import crawlers

SITES_DIR = Path(crawlers.__file__).parent / "sites"


class ConfigError(ValueError):
    """A setting is invalid; the message names the variable and what was expected."""


class Settings(BaseSettings):
    """Every setting, with its `VIGIE_` environment variable (README: Configuration)."""

    model_config = SettingsConfigDict(env_prefix="VIGIE_", extra="ignore", frozen=True)

    data_dir: Path = Path("data")
    """Where the default SQLite database lives (`VIGIE_DATA_DIR`)."""
    database_url: str | None = None
    """SQLAlchemy URL; default `sqlite:///<data_dir>/vigie.db` (`VIGIE_DATABASE_URL`)."""
    region: str = "BE"
    """Default country for phone numbers written in national format (`VIGIE_REGION`)."""
    sites_dir: Path = SITES_DIR
    """Directory of site specs, one YAML per site (`VIGIE_SITES_DIR`)."""
    chromium_path: Path = Path("/usr/bin/chromium")
    """The Chromium binary Playwright drives for `render: browser` sites (`VIGIE_CHROMIUM_PATH`)."""
    log_level: str = "WARNING"
    """Python logging level for the CLI (`VIGIE_LOG_LEVEL`)."""

    @field_validator("region")
    @classmethod
    def _known_region(cls, v: str) -> str:
        v = v.upper()
        if v not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"expected an ISO country code known to phonenumbers, got {v!r}")
        return v

    @field_validator("log_level")
    @classmethod
    def _level(cls, v: str) -> str:
        v = v.upper()
        if v not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got {v!r}")
        return v

    @field_validator("database_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and "://" not in v:
            raise ValueError(
                f"expected a URL such as sqlite:///path.db or postgresql+psycopg://…, got {v!r}"
            )
        return v

    @property
    def database(self) -> str:
        """The database URL in force."""
        return self.database_url or f"sqlite:///{self.data_dir / 'vigie.db'}"


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; raise ConfigError naming the variable on a bad value."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "VIGIE_" + str(err["loc"][0]).upper() if err["loc"] else "VIGIE_?"
        raise ConfigError(f"{name}: {err['msg'].removeprefix('Value error, ')}") from exc
