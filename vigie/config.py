"""Vigie's configuration: read once from the environment (prefix `VIGIE_`), typed, passed down.

Components never read the environment themselves; the CLI builds one `Settings` at start-up and
hands the values to what it calls. A bad value fails here, with the variable's name.
"""

from __future__ import annotations

import getpass
import ipaddress
from pathlib import Path

import phonenumbers
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import crawlers
from vigie.periods import MAX_MONTHS

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
    secret_key: str | None = None
    """Signs the review app's session cookies (`VIGIE_SECRET_KEY`); when unset, `vigie serve`
    generates one and keeps it in `<data_dir>/secret_key` (mode 0600)."""
    secure_cookies: bool = False
    """Send the session cookie over HTTPS only (`VIGIE_SECURE_COOKIES`); set it behind TLS."""
    zone: str = "5339"
    """This installation's Brussels police zone, 5339–5344 (`VIGIE_ZONE`): exports carry it."""
    user: str = Field(default_factory=getpass.getuser)
    """Who runs the command, for the audit trail (`VIGIE_USER`; default: the OS user)."""
    keys_dir: Path | None = None
    """The zone's exchange keys: signing key pair, trusted zone keys, shared pseudonymisation
    key (`VIGIE_KEYS_DIR`; default `<data_dir>/keys`). Private keys are written 0600."""
    trusted_proxies: str = ""
    """Comma-separated addresses or networks of the reverse proxies whose `X-Forwarded-For` /
    `X-Forwarded-Proto` `vigie serve` believes (`VIGIE_TRUSTED_PROXIES`; default: none — the
    client address is the connection's, whatever a header claims)."""
    retention_months: int = 12
    """Retention period (`VIGIE_RETENTION_MONTHS`, 1–120): `vigie purge` erases ads last seen
    longer ago than this that nothing keeps (no review, no flagged network, no open alert)."""
    review_months: int = 6
    """Review period (`VIGIE_REVIEW_MONTHS`, 1–120): `vigie retention report` lists data kept
    past the retention period whose reason to keep it (a review, a flagged network, an open
    alert) is older than this, and imported indicators held longer than this."""
    audit_retention_months: int = 36
    """Retention of the audit trail itself (`VIGIE_AUDIT_RETENTION_MONTHS`, 1–120): `vigie audit
    purge` removes older entries and records that it did (the hash chain starts from that
    record)."""

    @field_validator("region")
    @classmethod
    def _known_region(cls, v: str) -> str:
        v = v.upper()
        if v not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"expected an ISO country code known to phonenumbers, got {v!r}")
        return v

    @field_validator("zone")
    @classmethod
    def _zone(cls, v: str) -> str:
        if v not in {str(z) for z in range(5339, 5345)}:
            raise ValueError(f"expected a Brussels police zone 5339–5344, got {v!r}")
        return v

    @field_validator("user")
    @classmethod
    def _user(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("expected a user name for the audit trail, got an empty one")
        return v.strip()

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, v: str) -> str:
        for part in (p.strip() for p in v.split(",")):
            if not part:
                continue
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(
                    f"expected IP addresses or networks separated by commas, got {part!r}"
                ) from None
        return v

    @field_validator("retention_months", "review_months", "audit_retention_months")
    @classmethod
    def _months(cls, v: int) -> int:
        if not 1 <= v <= MAX_MONTHS:
            raise ValueError(f"expected a number of months from 1 to {MAX_MONTHS}, got {v}")
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
    def keys(self) -> Path:
        """The keys directory in force."""
        return self.keys_dir or self.data_dir / "keys"

    @property
    def proxies(self) -> list[str]:
        """The trusted proxies, one address or network each (empty: trust no header)."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

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
