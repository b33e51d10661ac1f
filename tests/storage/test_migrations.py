"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, both ways; a
database made by create_all before migrations existed is adopted; a stranger is refused."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import storage
from storage.engine import create_schema, make_engine
from storage.errors import StorageError
from storage.migrations import runner


@pytest.fixture
def blank(blank_url: str) -> Iterator[Engine]:
    engine = make_engine(blank_url)
    yield engine
    engine.dispose()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        diff: list[object] = compare_metadata(
            MigrationContext.configure(conn, opts={"include_object": runner.include_object}),
            runner.target_metadata(),
        )
    return diff


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {runner.VERSION_TABLE}


def test_every_module_defining_a_table_is_a_table_module() -> None:
    for found in pkgutil.walk_packages(storage.__path__, "storage."):
        if not found.name.startswith("storage.migrations"):
            importlib.import_module(found.name)
    defining = {
        mapper.class_.__module__
        for mapper in SQLModel._sa_registry.mappers  # noqa: SLF001
        if mapper.class_.__module__.startswith("storage.")
    }
    assert defining <= set(runner.TABLE_MODULES), "add the module to runner.TABLE_MODULES"


def test_upgrade_from_nothing_builds_exactly_the_models(blank: Engine) -> None:
    before, after = runner.upgrade(blank)
    assert (before, after) == (None, runner.head_revision())
    assert _differences(blank) == []
    assert _tables(blank) == set(runner.target_metadata().tables)


def test_downgrade_to_base_then_upgrade_again(blank: Engine) -> None:
    runner.upgrade(blank)
    assert runner.downgrade(blank, "base") == (runner.head_revision(), None)
    assert _tables(blank) == set()
    runner.upgrade(blank, "0001")
    assert runner.revision_of(blank) == "0001"
    assert _tables(blank) == set(runner.baseline_schema().tables)
    runner.upgrade(blank)
    assert runner.revision_of(blank) == runner.head_revision()
    assert _differences(blank) == []


def test_a_create_all_database_is_stamped_and_keeps_its_rows(
    blank: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    runner.baseline_schema().create_all(blank)  # what `create_all` made before migrations
    with blank.begin() as conn:
        conn.execute(
            text("INSERT INTO network (network_id, size, risk, zone_count, phones, aliases, "
                 "sites, zones, movement) VALUES ('N1', 1, 0.5, 1, '[]', '[]', '[]', '[]', '[]')")
        )
    with caplog.at_level(logging.INFO, logger="storage.migrations.runner"):
        create_schema(blank)
    assert "database created before migrations: its tables match revision 0001" in caplog.text
    assert runner.revision_of(blank) == runner.head_revision()
    assert _differences(blank) == []
    with blank.connect() as conn:
        assert conn.execute(text("SELECT network_id FROM network")).scalars().all() == ["N1"]


def test_a_create_all_database_missing_a_column_is_refused(blank: Engine) -> None:
    schema = runner.baseline_schema()
    schema.create_all(blank)
    with blank.begin() as conn:
        conn.execute(text("ALTER TABLE web_user DROP COLUMN lang"))
    with pytest.raises(StorageError, match="not those of schema revision 0001: table web_user "
                                           "lacks lang"):
        create_schema(blank)
    assert runner.revision_of(blank) is None  # nothing stamped


def test_a_database_from_a_newer_vigie_is_refused(blank: Engine) -> None:
    runner.upgrade(blank)
    with blank.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="schema revision '9999', which this version of Vigie"):
        create_schema(blank)


def test_unknown_target_revision_is_refused(blank: Engine) -> None:
    with pytest.raises(StorageError, match="unknown schema revision 'nope'"):
        runner.upgrade(blank, "nope")
