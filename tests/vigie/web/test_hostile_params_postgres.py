"""The walk of every route with hostile values, on PostgreSQL: its INTEGER ids are 32-bit and it
refuses NUL in text, where SQLite would not have noticed (skipped without
VIGIE_TEST_POSTGRES_URL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storage import users
from tests.vigie.pgschema import postgres_schema
from vigie.web import WebConfig, create_app

from . import conftest
from . import test_hostile_params as walk


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema("vigie_web") as url:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
            conftest._fill(url)  # noqa: SLF001 — the same data as the SQLite template
        yield url


@pytest.fixture
def store(pg_url: str) -> Iterator[conftest.Store]:
    with conftest.Store.open(pg_url) as store:
        yield store


@pytest.fixture
def app(store: conftest.Store) -> FastAPI:
    return create_app(store, WebConfig(secret_key="p" * 40, login_attempts=3))


def test_every_route_on_postgresql(app: FastAPI, request: pytest.FixtureRequest) -> None:
    walk.test_every_route_with_hostile_values_answers_without_a_500(app, "admin", request)


def test_the_issues_examples_on_postgresql(admin: tuple[TestClient, str]) -> None:
    walk.test_the_issues_examples_answer_400_or_404(admin)


def test_nul_on_postgresql(admin: tuple[TestClient, str], store: conftest.Store) -> None:
    walk.test_a_nul_character_anywhere_is_a_400(admin, store)
