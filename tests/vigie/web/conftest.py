"""Fixtures of the review-app tests: a temporary SQLite store holding a few synthetic ads (one of
them attacker-written), a network, one account per role, and logged-in clients."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pipeline.types import (
    Age,
    Alias,
    Analysis,
    Edge,
    ImageRef,
    Indicator,
    Network,
    PhoneMatch,
    Place,
    RawAd,
    Span,
)
from storage import users
from storage.repository import Store
from storage.users import add_user
from vigie.web import WebConfig, create_app
from vigie.web.adkey import parse_ad_key
from vigie.web.render import ad_path

PASSWORD = "correct horse battery staple"
PHONE = "+32470123456"
PHASH = "c3c3c3c33c3c3c3c"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ATTACK = (
    'Nouvelle <script>alert("x")</script> <img src=x onerror="alert(1)"> '
    '<a href="javascript:alert(2)">clic</a> appelle 0470 12 34 56'
)


def span(text: str, quote: str, field: str = "text") -> Span:
    start = text.index(quote)
    return Span(field, start, start + len(quote), quote)


def make_ad(
    ad_id: str,
    *,
    text: str,
    title: str,
    zone: str,
    commune: str,
    minor: float,
    url: str = "",
    alias: str | None = None,
    image_url: str = "http://127.0.0.1:9/img/1.png",
) -> tuple[RawAd, Analysis]:
    raw = RawAd(
        site="demo-static",
        ad_id=ad_id,
        url=url or f"http://127.0.0.1:9/ads/{ad_id}",
        title=title,
        text=text,
        location_text=commune,
        lang="fr",
        fetched_at=T0,
        posted_at=T0 + timedelta(days=int(ad_id[-1]) if ad_id[-1:].isdigit() else 0),
        page_sha256="ab" * 32,
        images=(ImageRef(image_url, PHASH, "0f0f0f0f0f0f0f0f"),),
    )
    phone_quote = re.search(r"0470 12 34 56", text)
    assert phone_quote is not None
    phones = (PhoneMatch(PHONE, "BE", False, (span(text, phone_quote.group()),)),)
    indicators: tuple[Indicator, ...] = ()
    ages: tuple[Age, ...] = ()
    if "17 ans" in text:
        ages = (Age(17, (span(text, "17 ans"),)),)
        indicators = (
            Indicator("age_under_18", "minor", "stated age under 18", (span(text, "17 ans"),), 0.9),
        )
    if "Nouvelle" in text:
        indicators += (
            Indicator("new_in_town", "trafficking", "new in town", (span(text, "Nouvelle"),), 0.3),
        )
    aliases = (Alias(alias, (span(text, alias),)),) if alias else ()
    analysis = Analysis(
        site=raw.site,
        ad_id=ad_id,
        phones=phones,
        aliases=aliases,
        ages=ages,
        place=Place(commune, zone, None, True, (span(commune, commune, "location"),)),
        images=raw.images,
        indicators=indicators,
        minor_score=minor,
        trafficking_score=0.4,
        flags=("minor",) if minor >= 0.5 else (),
        model_version="test",
    )
    return raw, analysis


def _fill(url: str) -> None:
    with Store.open(url) as store:
        ads = [
            make_ad(
                "ad1",
                title="Lina, nouvelle",
                text="Lina 17 ans, appelle 0470 12 34 56",
                zone="5339",
                commune="Schaerbeek",
                minor=0.9,
                alias="Lina",
            ),
            make_ad(
                "ad2",
                title="Lina à Ixelles",
                text="Lina ici, 0470 12 34 56 dispo",
                zone="5342",
                commune="Ixelles",
                minor=0.6,
                alias="Lina",
            ),
            make_ad(
                "ad3",
                title='<b onmouseover="alert(3)">Titre</b>',
                text=ATTACK,
                zone="5340",
                commune="Anderlecht",
                minor=0.7,
                url="javascript:alert(4)",
                image_url="javascript:alert(5)",
            ),
        ]
        for i, (raw, analysis) in enumerate(ads):
            store.save(raw, analysis, seen_at=T0 + timedelta(days=i))
        keys = tuple((raw.site, raw.ad_id) for raw, _ in ads[:2])
        store.replace_networks(
            [
                Network(
                    network_id="net-1",
                    members=keys,
                    edges=(Edge(keys[0], keys[1], "phone", PHONE),),
                    phones=(PHONE,),
                    aliases=("Lina",),
                    sites=("demo-static",),
                    zones=("5339", "5342"),
                    movement=("5339", "5342"),
                    first_seen=T0,
                    last_seen=T0 + timedelta(days=1),
                    risk=0.9,
                )
            ]
        )
        for role in ("viewer", "investigator", "admin"):
            add_user(store.engine, username=role, password=PASSWORD, role=role, zone="5339")


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with minimal cost: the tests check behaviour, not the hash's strength."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "template.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
        _fill(f"sqlite:///{path}")
    return path


@pytest.fixture
def store(template_db: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the template database: every test starts from the same data."""
    path = tmp_path / "web.db"
    shutil.copyfile(template_db, path)
    with Store.open(f"sqlite:///{path}") as store:
        yield store


@pytest.fixture
def app(store: Store) -> FastAPI:
    return create_app(store, WebConfig(secret_key="s" * 40, login_attempts=3))


def ad_url(ad_id: str, site: str = "demo-static") -> str:
    """The page of a fixture ad (its decisions: `ad_url(...) + "/decision"`)."""
    return ad_path(site, ad_id)


def linked_ads(html: str, before: str = "") -> list[str]:
    """The ad ids of the ad links in `html`, in order (`before`: text just before `href=`)."""
    keys = re.findall(re.escape(before) + r'href="/ad/([A-Za-z0-9_-]+)"', html)
    named = [parse_ad_key(key) for key in keys]
    assert None not in named, keys
    return [n[1] for n in named if n is not None]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; return the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/search").text)


@pytest.fixture
def anon(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def _client(app: FastAPI, role: str) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app) as client:
        yield client, login(client, role)


@pytest.fixture
def investigator(app: FastAPI) -> Iterator[tuple[TestClient, str]]:
    yield from _client(app, "investigator")


@pytest.fixture
def viewer(app: FastAPI) -> Iterator[tuple[TestClient, str]]:
    yield from _client(app, "viewer")


@pytest.fixture
def admin(app: FastAPI) -> Iterator[tuple[TestClient, str]]:
    yield from _client(app, "admin")
