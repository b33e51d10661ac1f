"""storage.engine: URL checks with exact messages, SQLite set-up, schema creation."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect, select

from storage.columns import UTCDateTime
from storage.engine import create_schema, make_engine, parse_database_url
from storage.errors import BadDatabaseURL, StorageError
from storage.repository import Store
from storage.users import add_user

HINT = "use sqlite:///path/to/vigie.db or postgresql+psycopg://user@host:5432/dbname"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", f"bad database URL '': empty; {HINT}"),
        ("not a url", f"bad database URL 'not a url': not a database URL; {HINT}"),
        (
            "mysql://vigie:s3cret@127.0.0.1/vigie",
            "bad database URL 'mysql://vigie:***@127.0.0.1/vigie': "
            f"unsupported database 'mysql'; {HINT}",
        ),
        (
            "postgresql+psycopg2://u:pw@127.0.0.1/db",
            f"bad database URL 'postgresql+psycopg2://u:***@127.0.0.1/db': "
            f"unsupported PostgreSQL driver 'psycopg2'; {HINT}",
        ),
        (
            "postgresql+psycopg://127.0.0.1",
            f"bad database URL 'postgresql+psycopg://127.0.0.1': no database name; {HINT}",
        ),
        (
            "sqlite+aiosqlite:///x.db",
            "bad database URL 'sqlite+aiosqlite:///x.db': "
            f"unsupported SQLite driver 'aiosqlite'; {HINT}",
        ),
    ],
)
def test_bad_urls_fail_with_an_exact_message(url: str, message: str) -> None:
    with pytest.raises(BadDatabaseURL) as caught:
        make_engine(url)
    assert str(caught.value) == message
    assert isinstance(caught.value, StorageError)


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///vigie.db", "sqlite+pysqlite"),
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
    ],
)
def test_urls_are_normalised_to_the_drivers_vigie_ships(url: str, driver: str) -> None:
    assert parse_database_url(url).drivername == driver


def test_sqlite_file_and_directories_are_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "vigie.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert path.is_file()
    finally:
        engine.dispose()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (files 0644, directories 0755 unless Vigie asks otherwise)."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_sqlite_directory_is_created_0700_and_database_files_0600(tmp_path: Path) -> None:
    existing = tmp_path / "home"
    existing.mkdir(mode=0o755)
    path = existing / "data" / "vigie" / "vigie.db"
    with Store.open(f"sqlite:///{path}") as store:  # migrates: the -wal and -shm files exist
        add_user(store.engine, username="u", password="x" * 12, role="viewer", zone="5339")
        files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    assert _mode(path.parent) == 0o700
    assert _mode(path.parent.parent) == 0o700  # every directory Vigie made
    assert _mode(existing) == 0o755  # one that was there is left alone


@pytest.mark.usefixtures("open_umask")
def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "vigie.db"
    with Store.open(f"sqlite:///{path}"):
        pass
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.chmod(0o644)
    with Store.open(f"sqlite:///{path}") as store:
        store.count_ads()
        assert _mode(path) == 0o600
        assert _mode(path.with_name("vigie.db-wal")) == 0o600


def test_create_schema_is_idempotent(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        create_schema(engine)
        create_schema(engine)
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {
        "ad",
        "ad_version",
        "ad_phone",
        "ad_contact",
        "ad_image",
        "ad_alias",
        "ad_flag",
        "network",
        "network_member",
        "network_edge",
    } <= tables


def test_deleting_an_ad_cascades_to_its_children(store_url: str) -> None:
    # Foreign keys are enforced on SQLite too (PRAGMA foreign_keys on every connection).
    with Store.open(store_url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO ad (id, site, ad_id, url, title, text, location_text, contact_text, "
            "first_seen, last_seen, version, content_sha256, minor_score, trafficking_score, "
            "max_score, flags, model_version, raw_json, analysis_json) VALUES (1, 's', '1', 'u', "
            "'', '', '', '', '2025-01-01', '2025-01-01', 1, 'h', 0, 0, 0, '', '', '{}', '{}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO ad_phone (ad_pk, e164, region, obfuscated) "
            "VALUES (1, '+32470000001', 'BE', FALSE)"
        )
        conn.exec_driver_sql("DELETE FROM ad")
        assert conn.exec_driver_sql("SELECT count(*) FROM ad_phone").scalar() == 0


def test_open_on_an_unreachable_database_raises_storage_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()  # a directory where the file should be
    with pytest.raises(StorageError, match="cannot open the database"):
        Store.open(f"sqlite:///{tmp_path / 'dir.db'}")


def test_utc_datetime_column_stores_the_instant_and_reads_back_utc(store_url: str) -> None:
    engine = make_engine(store_url)
    table = Table(
        "utc_probe", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
    )
    brussels = timezone(timedelta(hours=2))
    try:
        table.create(engine)
        with engine.begin() as conn:
            conn.execute(
                table.insert(),
                [
                    {"id": 1, "at": datetime(2025, 6, 1, 10, 0, tzinfo=brussels)},
                    {"id": 2, "at": datetime(2025, 6, 1, 10, 0)},  # naive: UTC
                    {"id": 3, "at": None},
                ],
            )
            got = conn.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
    finally:
        table.drop(engine, checkfirst=True)
        engine.dispose()
    assert got == [
        datetime(2025, 6, 1, 8, 0, tzinfo=UTC),
        datetime(2025, 6, 1, 10, 0, tzinfo=UTC),
        None,
    ]
    assert all(at is None or at.utcoffset() == timedelta(0) for at in got)
