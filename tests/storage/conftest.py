"""Fixtures for storage tests: every database test runs twice (the `backend` param), on a
temporary SQLite file and on a PostgreSQL schema of the session's own (emptied before each test,
dropped after the session) — skipped with the reason when VIGIE_TEST_POSTGRES_URL is unset."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from pipeline.types import Analysis, ImageRef, PhoneMatch, Place, RawAd, Span
from storage.engine import create_schema, make_engine
from storage.repository import Store

POSTGRES_ENV = "VIGIE_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    if not url:
        pytest.skip(
            f"{POSTGRES_ENV} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


class PostgresSchemas:
    """Schemas of this test session's own on the PostgreSQL server (so parallel runs never
    collide): each made and migrated on first use, emptied for every test, dropped at the end."""

    def __init__(self, base_url: str) -> None:
        self._base = make_url(base_url)
        self._admin = make_engine(base_url)
        self._prefix = f"vigie_test_{uuid.uuid4().hex[:12]}"
        self._engines: dict[str, Engine] = {}

    def fresh(self, name: str = "main") -> str:
        """The URL of schema `name`, every table emptied."""
        schema = f"{self._prefix}_{re.sub(r'[^a-z0-9]+', '_', name.lower())}"
        url = self._base.update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False)
        engine = self._engines.get(schema)
        if engine is None:
            with self._admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            engine = self._engines[schema] = make_engine(rendered)
            create_schema(engine)
        else:
            with engine.begin() as conn:  # DELETE: much faster than TRUNCATE on a few rows
                for table in reversed(SQLModel.metadata.sorted_tables):
                    conn.execute(table.delete())
        return rendered

    def blank(self) -> str:
        """The URL of a new schema with no table at all (dropped with the others)."""
        schema = f"{self._prefix}_blank_{len(self._engines)}"
        with self._admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = self._base.update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False)
        self._engines[schema] = make_engine(rendered)
        return rendered

    def drop_all(self) -> None:
        with self._admin.begin() as conn:
            for schema, engine in self._engines.items():
                engine.dispose()
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_schemas(postgres_base_url: str) -> Iterator[PostgresSchemas]:
    schemas = PostgresSchemas(postgres_base_url)
    try:
        yield schemas
    finally:
        schemas.drop_all()


@pytest.fixture
def postgres_url(postgres_schemas: PostgresSchemas) -> str:
    """The session's schema, emptied: every test starts from empty tables."""
    return postgres_schemas.fresh()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'vigie.db'}"


@pytest.fixture
def blank_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database with no table at all, on the test's backend."""
    if backend == "postgres":
        url: str = request.getfixturevalue("postgres_schemas").blank()
        return url
    return f"sqlite:///{tmp_path / 'blank' / 'vigie.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The database a test runs on: every database test runs on both."""
    name: str = request.param
    return name


@pytest.fixture
def store_url(backend: str, request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{backend}_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


# -- tiny synthetic ads (invented names, fictitious numbers, non-explicit texts) -----------------

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def make_raw(site: str = "demo-a", ad_id: str = "1", **changes: Any) -> RawAd:
    fields: dict[str, Any] = {
        "url": f"http://127.0.0.1:8000/{site}/ad/{ad_id}",
        "title": "Nouvelle en ville",
        "text": "Disponible ce soir, appelez le 0470 00 00 01.",
        "location_text": "Ixelles",
        "lang": "fr",
        "contact_text": "",
        "posted_at": datetime(2025, 2, 28, 9, 30, tzinfo=UTC),
        "fetched_at": T0,
        "page_sha256": "a" * 64,
        "images": (ImageRef(url=f"http://127.0.0.1:8000/img/{site}-{ad_id}.png"),),
    }
    fields.update(changes)
    return RawAd(site=site, ad_id=ad_id, **fields)


def make_analysis(raw: RawAd, **changes: Any) -> Analysis:
    quote = "0470 00 00 01"
    start = raw.text.find(quote)
    phones = (
        (
            PhoneMatch(
                "+32470000001", "BE", False, (Span("text", start, start + len(quote), quote),)
            ),
        )
        if start >= 0
        else ()
    )
    fields: dict[str, Any] = {
        "phones": phones,
        "place": Place("Ixelles", "5342", "1050", True, (Span("location", 0, 7, "Ixelles"),)),
        "images": tuple(
            ImageRef(url=image.url, phash="0f0f0f0f0f0f0f0f", dhash="f0f0f0f0f0f0f0f0")
            for image in raw.images
        ),
        "minor_score": 0.2,
        "trafficking_score": 0.6,
        "flags": ("trafficking",),
        "model_version": "test-1",
    }
    fields.update(changes)
    return Analysis(site=raw.site, ad_id=raw.ad_id, **fields)


@pytest.fixture
def ad() -> Callable[..., tuple[RawAd, Analysis]]:
    """`ad(site, ad_id, raw_changes..., analysis=dict(...))` → a consistent (RawAd, Analysis)."""

    def build(
        site: str = "demo-a", ad_id: str = "1", analysis: dict[str, Any] | None = None, **raw: Any
    ) -> tuple[RawAd, Analysis]:
        made = make_raw(site, ad_id, **raw)
        return made, make_analysis(made, **(analysis or {}))

    return build
