"""No request answers an unhandled 500: every route, walked with out-of-range and malformed
values in each of its path and query parameters, answers 2xx/3xx/400/404 — and every response,
errors included (400, 403, 404, 405, 413, 500), carries the security headers and no-store."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from storage.repository import Store
from storage.reviews import reviews_of
from vigie.web.uploads import MAX_BODY

from .conftest import ad_url
from .test_security import _api_routes

HOSTILE = (
    "9223372036854775807",
    "99999999999999999999",
    "-9223372036854775809",
    "0",
    "-1",
    "9999-12-31",
    "0001-01-01",
    "1e309",
    "x" * 5000,
    "%2F..%2F",
    "[/]",
    "<b>é</b>",
)
SECURITY = {
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def assert_secured(response: Any) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def _query_names(route: APIRoute) -> list[str]:
    return [p.alias for p in route.dependant.query_params]


def _paths(route: APIRoute, value: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda _m: value.replace("/", "%2F"), route.path)


@pytest.mark.parametrize("role", ["admin"])
def test_every_route_with_hostile_values_answers_without_a_500(
    app: FastAPI, role: str, request: pytest.FixtureRequest
) -> None:
    client, token = request.getfixturevalue(role)
    walked = 0
    for route in _api_routes(list(app.routes)):
        for method in sorted(route.methods or ()):
            for value in HOSTILE:
                path = _paths(route, value)
                params = dict.fromkeys(_query_names(route), value)
                if method == "GET":
                    response = client.get(path, params=params, follow_redirects=False)
                else:
                    data = {"csrf_token": token, "reason": "r", "decision": "confirm",
                            "kind": "phone", "q": "x", "value": "x", "lang": "fr"}
                    response = client.post(path, params=params, data=data,
                                           follow_redirects=False)
                walked += 1
                assert response.status_code < 500, (method, path[:120], params and value[:40])
                assert response.status_code in (200, 303, 400, 401, 403, 404, 429), (
                    method, path[:120], response.status_code,
                )
                assert_secured(response)
    assert walked > 150


def test_the_issues_examples_answer_400_or_404(admin: tuple[TestClient, str]) -> None:
    client, token = admin
    for path in (
        "/queue?page_no=9223372036854775807",
        "/queue?since=9999-12-31&until=9999-12-31",
        "/audit?page_no=9223372036854775807&since=9999-12-31&until=9999-12-31",
        "/networks?min_zones=99999999999999999999",
    ):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        assert_secured(response)
    assert client.get("/queue?page_no=9223372036854775807").status_code == 400
    assert client.get("/queue?until=9999-12-31").status_code == 200  # no upper bound
    for route in ("alerts", "exchange-alerts", "watchlists"):
        for huge in ("9223372036854775807", "99999999999999999999", "2147483648"):
            action = "deactivate" if route == "watchlists" else "close"
            response = client.post(f"/{route}/{huge}/{action}",
                                   data={"csrf_token": token, "reason": "r"})
            assert response.status_code in (400, 404), (route, huge)
            assert_secured(response)


def test_a_nul_character_anywhere_is_a_400(admin: tuple[TestClient, str], store: Store) -> None:
    """PostgreSQL refuses NUL in text: refused at the door, on every database alike."""
    client, token = admin
    for response in (
        client.get("/queue?site=a%00b"),
        client.get("/audit?actor=%00"),
        client.get("/networks/net%00-1"),
        client.post("/search", data={"csrf_token": token, "kind": "text", "q": "ab\x00c",
                                     "reason": "r"}),
        client.post(ad_url("ad1") + "/decision",
                    data={"csrf_token": token, "decision": "confirm", "note": "a\x00"}),
    ):
        assert response.status_code == 400, response.request.url
        assert_secured(response)
    assert reviews_of(store.engine, site="demo-static", ad_id="ad1") == []


def test_error_responses_carry_the_security_headers(
    app: FastAPI, admin: tuple[TestClient, str], anon: TestClient
) -> None:
    client, token = admin

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("an unexpected failure")

    with TestClient(app, raise_server_exceptions=False) as raw:
        raw.cookies.update(client.cookies)
        server_error = raw.get("/boom")
    assert server_error.status_code == 500
    assert "an unexpected failure" not in server_error.text
    responses = {
        404: client.get("/no-such-page"),
        405: client.put("/queue"),
        400: client.get("/queue?page_no=0"),
        403: anon.post("/login", data={"username": "a", "password": "b"}),
        413: client.post("/watchlists", content=b"0" * (MAX_BODY + 1),
                         headers={"content-type": "application/x-www-form-urlencoded"}),
        500: server_error,
    }
    for status, response in responses.items():
        assert response.status_code == status
        assert_secured(response)
    static = anon.get("/static/does-not-exist.css")
    assert static.status_code == 404
    assert_secured(static)
