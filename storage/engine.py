"""Engines for Vigie's two databases: an SQLite file (the embedded default) and PostgreSQL.

Nothing here runs at import time and nothing reads the environment: the caller passes the URL.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError

import storage.tables  # noqa: F401  (registers the table models on SQLModel.metadata)
from storage.errors import BadDatabaseURL

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "vigie_write"
"""Execution option marking a write transaction; on SQLite it begins with BEGIN IMMEDIATE."""

_HINT = "use sqlite:///path/to/vigie.db or postgresql+psycopg://user@host:5432/dbname"
_PASSWORD = re.compile(r"(//[^:/@]*:)[^@/]*@")


def _redact(url: str) -> str:
    return _PASSWORD.sub(r"\1***@", url)


def parse_database_url(url: str) -> URL:
    """Parse and normalise a database URL; raise BadDatabaseURL with an exact reason."""
    if not url.strip():
        raise BadDatabaseURL(url, f"empty; {_HINT}")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadDatabaseURL(_redact(url), f"not a database URL; {_HINT}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise BadDatabaseURL(_redact(url), f"unsupported SQLite driver {driver!r}; {_HINT}")
        return parsed.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise BadDatabaseURL(_redact(url), f"unsupported PostgreSQL driver {driver!r}; {_HINT}")
        if not parsed.database:
            raise BadDatabaseURL(_redact(url), f"no database name; {_HINT}")
        return parsed.set(drivername="postgresql+psycopg")
    raise BadDatabaseURL(_redact(url), f"unsupported database {backend!r}; {_HINT}")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is broken for
    # SAVEPOINT and cannot do BEGIN IMMEDIATE).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock up front, so two writers queue (busy_timeout) instead of
    # failing when one's read snapshot goes stale under WAL.
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url` (SQLite file or PostgreSQL through psycopg 3).

    SQLite: the file's directory is created; WAL, foreign keys and a busy timeout are set on
    every connection; write transactions begin IMMEDIATE.
    """
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    log.debug(
        "database engine created",
        extra={"database": parsed.render_as_string(hide_password=True)},
    )
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool) with write transactions marked for BEGIN IMMEDIATE."""
    return engine.execution_options(**{WRITE_OPTION: True})


def create_schema(engine: Engine) -> None:
    """Bring the database to the latest schema through the migrations (storage/migrations).

    An empty database is migrated from nothing; a database made by `create_all` before the
    migrations existed is checked against the first revision and stamped; two processes doing
    this at once queue on a lock. Raises StorageError for a database it cannot migrate.
    """
    from storage.migrations.runner import ensure_schema

    ensure_schema(engine)
