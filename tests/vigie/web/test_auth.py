"""Logging in and out: audit of every attempt, throttling, disabled accounts, safe redirects."""

from __future__ import annotations

from fastapi.testclient import TestClient

from storage.audit import AuditLog
from storage.repository import Store
from storage.users import set_disabled
from vigie.web.security import LoginThrottle

from .conftest import PASSWORD, csrf_of, login


def _try(client: TestClient, username: str, password: str, next: str = "/queue") -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next},
        follow_redirects=False,
    )
    return response.status_code


def test_login_logs_the_user_in_and_is_audited(anon: TestClient, store: Store) -> None:
    login(anon, "investigator")
    assert anon.get("/queue").status_code == 200
    entry = AuditLog(store.engine).entries(action="login")[0]
    assert (entry.actor, entry.zone) == ("investigator", "5339")


def test_a_wrong_password_is_refused_and_audited(anon: TestClient, store: Store) -> None:
    assert _try(anon, "investigator", "not the password") == 401
    assert anon.get("/queue", follow_redirects=False).status_code == 303
    assert AuditLog(store.engine).entries(action="login_failed")[0].actor == "investigator"


def test_logins_are_throttled_after_repeated_failures(anon: TestClient, store: Store) -> None:
    for _ in range(3):  # the fixture's app allows 3 failures
        assert _try(anon, "admin", "wrong password!") == 401
    assert _try(anon, "admin", PASSWORD) == 429  # even the right password, for now
    assert _try(anon, "viewer", PASSWORD) == 429  # same client address
    reasons = [e.details["why"] for e in AuditLog(store.engine).entries(action="login_failed")]
    assert reasons == ["throttled"] + ["bad credentials"] * 3  # throttling: recorded once


def test_a_flood_of_throttled_attempts_writes_one_audit_row_per_window(
    anon: TestClient, store: Store
) -> None:
    for _ in range(3):
        assert _try(anon, "admin", "wrong password!") == 401
    for _ in range(40):
        assert _try(anon, "admin", "wrong password!") == 429
    throttled = [
        e for e in AuditLog(store.engine).entries(action="login_failed")
        if e.details["why"] == "throttled"
    ]
    assert len(throttled) == 1


def test_throttling_is_recorded_again_in_the_next_window() -> None:
    now = [0.0]
    throttle = LoginThrottle(attempts=2, window=60.0, clock=lambda: now[0])
    throttle.failure("client:a")
    throttle.failure("client:a")
    assert throttle.blocked("client:a")
    assert throttle.first_refusal("client:a")
    assert not throttle.first_refusal("client:a")
    now[0] = 50.0
    throttle.failure("client:a")
    assert not throttle.first_refusal("client:a")  # same window
    now[0] = 95.0  # the first report is a window old; one failure is still recent...
    throttle.failure("client:a")
    assert throttle.blocked("client:a")
    assert throttle.first_refusal("client:a")  # ...and blocked again: a new row


def test_a_disabled_account_is_logged_out_at_its_next_request(
    investigator: tuple[TestClient, str], store: Store
) -> None:
    client, _ = investigator
    assert client.get("/queue").status_code == 200
    set_disabled(store.engine, username="investigator")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    assert _try(client, "investigator", PASSWORD) == 401


def test_after_login_only_a_local_path_is_followed(anon: TestClient) -> None:
    token = csrf_of(anon.get("/login").text)
    for target, expected in (
        ("/networks/net-1", "/networks/net-1"),
        ("//evil.example/x", "/queue"),
        ("https://evil.example/", "/queue"),
    ):
        anon.cookies.clear()
        token = csrf_of(anon.get("/login").text)
        response = anon.post(
            "/login",
            data={"username": "viewer", "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


def test_logout_ends_the_session(investigator: tuple[TestClient, str], store: Store) -> None:
    client, token = investigator
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/queue", follow_redirects=False).status_code == 303
    assert AuditLog(store.engine).entries(action="logout")[0].actor == "investigator"
