"""Sessions end for good: a logout (on any device), a new password or a disabled account ends
every session of the user, and a cookie kept from before is refused — to read and to decide."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storage.repository import Store
from storage.reviews import reviews_of
from storage.users import UserError, set_disabled, set_password, verify_login

from .conftest import PASSWORD, ad_url, login

NEW_PASSWORD = "another long passphrase"


def _kept_cookie(client: TestClient) -> str:
    cookie = client.cookies.get("vigie_session")
    assert cookie
    return cookie


def _replay(app: FastAPI, cookie: str, token: str) -> tuple[int, int]:
    """Read an ad and post a decision with a cookie kept from before: both statuses."""
    with TestClient(app) as thief:
        thief.cookies.set("vigie_session", cookie)
        read = thief.get(ad_url("ad1"), follow_redirects=False)
        decided = thief.post(
            ad_url("ad1") + "/decision",
            data={"csrf_token": token, "decision": "dismiss"},
            follow_redirects=False,
        )
        return read.status_code, decided.status_code


def _logout(app: FastAPI, store: Store, client: TestClient, token: str) -> None:
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303


def _new_password(app: FastAPI, store: Store, client: TestClient, token: str) -> None:
    set_password(store.engine, username="investigator", password=NEW_PASSWORD)


def _disable(app: FastAPI, store: Store, client: TestClient, token: str) -> None:
    set_disabled(store.engine, username="investigator")


@pytest.mark.parametrize("ending", [_logout, _new_password, _disable])
def test_a_cookie_kept_from_before_is_refused_to_read_and_to_decide(
    app: FastAPI,
    store: Store,
    investigator: tuple[TestClient, str],
    ending: Callable[[FastAPI, Store, TestClient, str], None],
) -> None:
    client, token = investigator
    cookie = _kept_cookie(client)
    with TestClient(app) as copy:  # the copy works while the session lives
        copy.cookies.set("vigie_session", cookie)
        assert copy.get(ad_url("ad1"), follow_redirects=False).status_code == 200
    ending(app, store, client, token)
    read, decided = _replay(app, cookie, token)
    assert read == 303  # to the login page
    assert decided in (303, 403)
    assert reviews_of(store.engine, site="demo-static", ad_id="ad1") == []


def test_logout_ends_the_sessions_of_every_device(app: FastAPI, store: Store) -> None:
    with TestClient(app) as laptop, TestClient(app) as desktop:
        token = login(laptop, "investigator")
        login(desktop, "investigator")
        assert desktop.get("/queue").status_code == 200
        laptop.post("/logout", data={"csrf_token": token})
        assert desktop.get("/queue", follow_redirects=False).status_code == 303
        login(desktop, "investigator")  # a new login works at once
        assert desktop.get("/queue").status_code == 200


def test_a_new_password_replaces_the_old_one(store: Store) -> None:
    with pytest.raises(UserError, match="at least"):
        set_password(store.engine, username="investigator", password="short")
    set_password(store.engine, username="investigator", password=NEW_PASSWORD)
    assert verify_login(store.engine, username="investigator", password=PASSWORD) is None
    assert verify_login(store.engine, username="investigator", password=NEW_PASSWORD)
