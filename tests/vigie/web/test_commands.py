"""`vigie users add|disable|list` and the session secret of `vigie serve`."""

from __future__ import annotations

import stat
from pathlib import Path

from typer.testing import CliRunner

from storage.audit import AuditLog
from storage.repository import Store
from storage.users import get_user, verify_login
from vigie.cli import app
from vigie.web.secret import load_or_create_secret

from .conftest import PASSWORD


def test_users_add_list_disable(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    runner = CliRunner()
    add = ["users", "add", "ana", "--role", "admin", "--zone", "5344", "--lang", "nl"]
    result = runner.invoke(app, [*add, "--password-stdin", "--database", db], input=PASSWORD)
    assert result.exit_code == 0, result.output
    assert "user ana added (admin, zone 5344, nl)" in result.output
    again = runner.invoke(app, [*add, "--password-stdin", "--database", db], input=PASSWORD)
    assert again.exit_code == 2
    assert "exists already" in again.output
    bad = ["users", "add", "bob", "--zone", "1000", "--password-stdin", "--database", db]
    assert "unknown zone" in runner.invoke(app, bad, input=PASSWORD).output
    listed = runner.invoke(app, ["users", "list", "--database", db])
    assert listed.output.split() == ["ana", "admin", "5344", "nl", "active"]
    assert runner.invoke(app, ["users", "disable", "ana", "--database", db]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["users", "list", "--database", db]).output
    with Store.open(db) as store:
        assert verify_login(store.engine, username="ana", password=PASSWORD) is None
        changes = AuditLog(store.engine).entries(action="user_change")
        assert [e.details["change"] for e in changes] == ["disable", "add admin zone 5344"]
    gone = runner.invoke(app, ["users", "disable", "nobody", "--database", db])
    assert gone.exit_code == 2


def test_the_generated_secret_is_kept_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret_key"
    first = load_or_create_secret(path)
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # the data directory it made
    assert load_or_create_secret(path) == first


def test_users_password_changes_it_and_ends_the_sessions(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    runner = CliRunner()
    add = ["users", "add", "ana", "--password-stdin", "--database", db]
    assert runner.invoke(app, add, input=PASSWORD).exit_code == 0
    with Store.open(db) as store:
        before = get_user(store.engine, username="ana")
    change = ["users", "password", "ana", "--password-stdin", "--database", db]
    short = runner.invoke(app, change, input="short")
    assert short.exit_code == 2
    assert "at least 12" in short.output
    result = runner.invoke(app, change, input="a brand new passphrase")
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        assert verify_login(store.engine, username="ana", password=PASSWORD) is None
        assert verify_login(store.engine, username="ana", password="a brand new passphrase")
        after = get_user(store.engine, username="ana")
        assert before is not None
        assert after is not None
        assert after.session_generation > before.session_generation
        assert AuditLog(store.engine).entries(action="user_change")[0].details == {
            "change": "password"
        }
