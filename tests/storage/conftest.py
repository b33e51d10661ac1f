"""Fixtures for storage tests: a Store on a temporary SQLite file and, when
VIGIE_TEST_POSTGRES_URL is set, on a PostgreSQL schema of the session's own (emptied before each
test, dropped after the session)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
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


@pytest.fixture(scope="session")
def postgres_session_url(postgres_base_url: str) -> Iterator[str]:
    """A URL whose search_path is a schema of this test session's own (so parallel runs never
    collide), with Vigie's tables created; the schema is dropped at the end of the session."""
    schema = f"vigie_test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(postgres_base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(postgres_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        engine = make_engine(rendered)
        create_schema(engine)
        engine.dispose()
        yield rendered
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_session_url: str) -> str:
    """The session's schema, emptied: every test starts from empty tables."""
    engine = make_engine(postgres_session_url)
    with engine.begin() as conn:  # DELETE: much faster than TRUNCATE on a few rows
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()
    return postgres_session_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'vigie.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
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
