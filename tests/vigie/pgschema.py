"""A private schema on the test PostgreSQL server (VIGIE_TEST_POSTGRES_URL), for the tests outside
tests/storage (whose per-session schemas they do not see): made, handed over as a database URL
whose search_path is that schema, dropped afterwards. Skips without the server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from storage.engine import make_engine
from storage.repository import Store


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    base = os.environ.get("VIGIE_TEST_POSTGRES_URL", "")
    if not base:
        pytest.skip("VIGIE_TEST_POSTGRES_URL is not set")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"  # parallel runs never collide
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@contextmanager
def sqlite_or_postgres(kind: str, tmp_path: Path, prefix: str) -> Iterator[Store]:
    """A fresh store of `kind` ("sqlite" in tmp_path, or "postgres" in a private schema)."""
    if kind == "postgres":
        with postgres_schema(prefix) as url, Store.open(url) as opened:
            yield opened
        return
    with Store.open(f"sqlite:///{tmp_path / 'vigie.db'}") as opened:
        yield opened
