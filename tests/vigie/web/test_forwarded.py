"""Login throttling per client address holds against a rotating `X-Forwarded-For`: `vigie serve`
starts uvicorn believing forwarded headers only from `VIGIE_TRUSTED_PROXIES` (none by default;
never uvicorn's own default, 127.0.0.1). Tested through a real uvicorn started exactly as
`vigie serve` configures it."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from vigie.cli import app as cli
from vigie.config import ConfigError, load_settings

from .conftest import csrf_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(
    template_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[str]:
    """`vigie serve` as a user starts it (its uvicorn settings captured, then really served)."""
    db = tmp_path / "served.db"
    shutil.copyfile(template_db, db)
    monkeypatch.setenv("VIGIE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VIGIE_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("VIGIE_TRUSTED_PROXIES", request.param)
    captured: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: captured.update(app=app, **kw))
    port = _free_port()
    result = CliRunner().invoke(cli, ["serve", "--port", str(port), "--database", f"sqlite:///{db}"])
    assert result.exit_code == 0, result.output
    server = uvicorn.Server(uvicorn.Config(captured.pop("app"), **captured))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the review app did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def _failed_logins(base: str, n: int) -> list[int]:
    """`n` bad logins from this one client, each claiming another address and username."""
    statuses = []
    with httpx.Client(base_url=base) as client:
        for i in range(n):
            forged = {"X-Forwarded-For": f"203.0.113.{i + 1}"}
            token = csrf_of(client.get("/login", headers=forged).text)
            response = client.post(
                "/login",
                headers=forged,
                data={"username": f"nobody{i}", "password": "wrong password!", "csrf_token": token},
            )
            statuses.append(response.status_code)
    return statuses


@pytest.mark.parametrize("served", [""], indirect=True)
def test_a_rotating_forwarded_for_does_not_escape_throttling(served: str) -> None:
    statuses = _failed_logins(served, 7)  # the default: 5 failures per address
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]


@pytest.mark.parametrize("served", ["127.0.0.1"], indirect=True)
def test_a_configured_proxy_is_believed(served: str) -> None:
    assert _failed_logins(served, 7) == [401] * 7  # each forwarded address is its own client


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert load_settings(trusted_proxies="10.0.0.1, 192.168.0.0/24,::1").proxies == [
        "10.0.0.1", "192.168.0.0/24", "::1"
    ]
    assert load_settings().proxies == []
    with pytest.raises(ConfigError, match="VIGIE_TRUSTED_PROXIES"):
        load_settings(trusted_proxies="*")
