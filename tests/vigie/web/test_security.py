"""Security of the review app: no anonymous access, CSRF on every form, attacker-written ads
render inert, roles enforced, security headers on every response."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from storage.audit import AuditLog
from storage.repository import Store
from vigie.web.render import ad_path

ROUTE_VALUES = {
    "key": ad_path("demo-static", "ad1").removeprefix("/ad/"),
    "network_id": "net-1",
    "entry_id": "1",
    "alert_id": "1",
}


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        inner = getattr(route, "original_router", None)  # FastAPI's included routers
        if inner is not None:
            found += _api_routes(inner.routes)
    return found


def routes(app: FastAPI, method: str) -> list[str]:
    """Every path of the app answering `method`, its parameters filled in."""
    return [
        re.sub(r"\{(\w+)\}", lambda m: ROUTE_VALUES[m.group(1)], route.path)
        for route in _api_routes(list(app.routes))
        if method in route.methods
    ]


def test_every_route_but_login_refuses_an_anonymous_request(app: FastAPI, anon: TestClient) -> None:
    gets, posts = routes(app, "GET"), routes(app, "POST")
    assert {"/queue", ad_path("demo-static", "ad1"), "/networks/net-1", "/audit"} <= set(gets)
    for path in gets:
        if path == "/login":
            assert anon.get(path).status_code == 200
            continue
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
    token = re.search(r'value="([^"]+)"', anon.get("/login").text)
    assert token is not None
    for path in posts:
        if path == "/login":
            continue
        response = anon.post(path, data={"csrf_token": token.group(1)}, follow_redirects=False)
        assert response.status_code in (303, 403, 400), path
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login"), path
        assert "Lina" not in response.text


def test_a_form_without_a_valid_csrf_token_is_refused(
    app: FastAPI, admin: tuple[TestClient, str], store: Store
) -> None:
    client, token = admin
    before = AuditLog(store.engine).count(action="decision")
    forms = {
        ad_path("demo-static", "ad1") + "/decision": {"decision": "confirm", "note": "n"},
        "/search": {"kind": "phone", "q": "0470123456", "reason": "PV 1"},
        "/watchlists": {"kind": "phone", "value": "0470123456", "reason": "PV 1"},
        "/lang": {"lang": "nl"},
        "/logout": {},
        "/exchange-alerts/1/close": {},  # refused before the alert is even looked up
        "/alerts/entry/1/close": {"up_to": "9", "reason": "PV 1"},
        "/alerts/network/net-1/close": {"up_to": "9", "reason": "PV 1"},
        "/networks/net-1/export": {"format": "graphml", "reason": "PV 1"},
    }
    assert set(forms) | {"/login", "/watchlists/1/deactivate", "/alerts/1/close"} == set(
        routes(app, "POST")
    )
    for path, data in forms.items():
        for bad in ({}, {"csrf_token": "forged"}, {"csrf_token": token[:-1]}):
            response = client.post(path, data={**data, **bad}, follow_redirects=False)
            assert response.status_code == 403, (path, bad)
    assert AuditLog(store.engine).count(action="decision") == before
    # the session is still valid and the language unchanged: nothing was done
    assert client.get("/queue").status_code == 200
    assert 'lang="fr"' in client.get("/queue").text


def test_login_form_needs_its_csrf_token(anon: TestClient) -> None:
    response = anon.post(
        "/login", data={"username": "admin", "password": "x" * 20}, follow_redirects=False
    )
    assert response.status_code == 403


def test_an_attacker_written_ad_renders_inert(investigator: tuple[TestClient, str]) -> None:
    client, _ = investigator
    pages = [client.get(p).text for p in (ad_path("demo-static", "ad3"), "/queue")]
    for html in pages:
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "Titre" in html
        assert not re.search(r"<[^>]+\son\w+\s*=", html), "an event-handler attribute got through"
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.I)
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script src="/static/vigie.js" defer>']
    ad_page = pages[0]
    assert "<img" not in ad_page  # image source URLs are text, never <img src>
    assert '<span class="url">javascript:alert(4)</span>' in ad_page
    assert '<span class="url">javascript:alert(5)</span>' in ad_page


def test_source_links_are_http_only_and_noreferrer(investigator: tuple[TestClient, str]) -> None:
    client, _ = investigator
    html = client.get(ad_path("demo-static", "ad1")).text
    assert '<a href="http://127.0.0.1:9/ads/ad1" rel="noreferrer noopener"' in html


def test_a_viewer_cannot_decide(viewer: tuple[TestClient, str], store: Store) -> None:
    client, token = viewer
    assert 'name="decision"' not in client.get(ad_path("demo-static", "ad1")).text
    response = client.post(
        ad_path("demo-static", "ad1") + "/decision",
        data={"csrf_token": token, "decision": "confirm"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert AuditLog(store.engine).count(action="decision") == 0


@pytest.mark.parametrize("role", ["viewer", "investigator"])
def test_a_non_admin_cannot_read_the_audit_log(role: str, request: pytest.FixtureRequest) -> None:
    client, _ = request.getfixturevalue(role)
    response = client.get("/audit")
    assert response.status_code == 403
    assert "login" not in response.text.split("<main>")[1]  # no entry leaks


def test_security_headers_on_every_response(
    investigator: tuple[TestClient, str], anon: TestClient
) -> None:
    client, _ = investigator
    for response in (client.get("/queue"), anon.get("/login"), anon.get("/static/vigie.css")):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/queue").headers["cache-control"] == "no-store"


def test_the_session_cookie_is_signed_httponly_and_samesite(anon: TestClient) -> None:
    response = anon.get("/login")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    # a forged cookie (not signed with the secret) is no session
    anon.cookies.clear()
    anon.cookies.set("vigie_session", "eyJ1c2VyIjogImFkbWluIn0=.forged.sig")
    assert anon.get("/queue", follow_redirects=False).status_code == 303
