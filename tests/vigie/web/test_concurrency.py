"""No request waits behind another (issue #18.2): the database work of every page runs off the
event loop, so an ad page is served while another user's dashboard is still being computed.

A real uvicorn server on loopback; the dashboard's counting is made to block on an event in its
worker thread, and the ad page must come back while it is still blocked. Nothing is timed: a
route that blocked the event loop would leave the ad page unanswered until the dashboard is
released (the test then fails on its generous read timeout, not on a speed threshold)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from storage.repository import Store
from storage.webqueries import dashboard_counts
from vigie.web.countcache import CountCache

from .conftest import PASSWORD, ad_url, csrf_of

WAIT = 60.0  # only bounds a failing run; a passing run waits on events


@pytest.fixture
def base_url(app: FastAPI) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the review app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=WAIT)


def logged_in(base_url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=WAIT)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return client


def test_an_ad_page_is_served_while_a_dashboard_is_blocked(
    base_url: str, app: FastAPI, store: Store
) -> None:
    entered, release = threading.Event(), threading.Event()

    def slow_counts() -> dict[str, Counter[str]]:
        entered.set()
        release.wait(WAIT)  # blocks the worker thread that runs the dashboard
        return dashboard_counts(store.engine)

    app.state.counts = CountCache(slow_counts)
    slow_user, fast_user = logged_in(base_url, "admin"), logged_in(base_url, "viewer")
    dashboard: dict[str, httpx.Response] = {}
    loader = threading.Thread(target=lambda: dashboard.update(r=slow_user.get("/dashboard")))
    try:
        loader.start()
        assert entered.wait(WAIT), "the dashboard never started counting"
        ad = fast_user.get(ad_url("ad1"))
        assert ad.status_code == 200
        assert "Lina" in ad.text
        assert not release.is_set()
        assert "r" not in dashboard  # the dashboard is still blocked
        queue = fast_user.get("/queue")  # and another page too
        assert queue.status_code == 200
        assert "r" not in dashboard
    finally:
        release.set()
        loader.join(WAIT)
        slow_user.close()
        fast_user.close()
    assert dashboard["r"].status_code == 200
