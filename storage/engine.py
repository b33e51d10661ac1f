"""Engines for Vigie's two databases: an SQLite file (the embedded default) and PostgreSQL.

Nothing here runs at import time and nothing reads the environment: the caller passes the URL.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError

import storage.tables  # noqa: F401  (registers the table models on SQLModel.metadata)
from storage.errors import BadDatabaseURL

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long an SQLite transaction waits for the write lock by default (a URL's `?timeout=`
overrides it, in seconds)."""
READ_OPTION = "vigie_read"
"""Execution option marking a read-only transaction; on SQLite it begins with a plain BEGIN."""
WRITE_OPTION = "vigie_write"
"""Kept for callers that mark their writes; on SQLite every transaction not marked READ_OPTION
begins with BEGIN IMMEDIATE anyway."""
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")

_HINT = "use sqlite:///path/to/vigie.db or postgresql+psycopg://user@host:5432/dbname"
# scheme://user:password@host — the password may hold '@', '/' or ':' typed raw: it runs to the
# last '@' before the host (the text after that '@' has no '@' up to a '/', '?', '#' or space).
_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)\S*@(?=[^@/?#\s]*(?:[/?#\s]|$))")


def redact_url(url: str) -> str:
    """`url` with any password replaced by *** (database, Redis or any scheme://user:pw@host):
    the one way Vigie prints or logs a URL that may hold a secret."""
    return _PASSWORD.sub(r"\1***@", url)


def parse_database_url(url: str) -> URL:
    """Parse and normalise a database URL; raise BadDatabaseURL with an exact reason."""
    if not url.strip():
        raise BadDatabaseURL(url, f"empty; {_HINT}")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadDatabaseURL(redact_url(url), f"not a database URL; {_HINT}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise BadDatabaseURL(redact_url(url), f"unsupported SQLite driver {driver!r}; {_HINT}")
        return parsed.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise BadDatabaseURL(
                redact_url(url), f"unsupported PostgreSQL driver {driver!r}; {_HINT}"
            )
        if not parsed.database:
            raise BadDatabaseURL(redact_url(url), f"no database name; {_HINT}")
        return parsed.set(drivername="postgresql+psycopg")
    raise BadDatabaseURL(redact_url(url), f"unsupported database {backend!r}; {_HINT}")


def _sqlite_connect(busy_timeout_s: float) -> Any:
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is broken
        # for SAVEPOINT and cannot do BEGIN IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout_s * 1000):d}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    return connect


def _sqlite_begin(conn: Connection) -> None:
    # Every transaction but the ones marked read-only takes the write lock up front (BEGIN
    # IMMEDIATE), waiting for it up to the busy timeout. A deferred transaction that reads and
    # then writes cannot wait: under WAL, once another writer has committed after its read, its
    # upgrade fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT).
    read_only = conn.get_execution_options().get(READ_OPTION, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _private_file(path: Path) -> None:
    """Create the database file 0600 (SQLite gives its -wal and -shm files the database file's
    mode), or take group and other access away from one made by an older version."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    for suffix in SQLITE_SUFFIXES:
        part = path.with_name(path.name + suffix)
        try:
            mode = part.stat().st_mode & 0o777
            if mode & 0o077:
                part.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:  # not ours: leave it, SQLite will say if it cannot open it
            log.warning("cannot restrict the permissions of %s", part)


def _private_directory(directory: Path) -> None:
    """Create `directory` and any missing parent 0700; an existing directory is left as is."""
    missing = []
    for level in (directory, *directory.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        level.mkdir(mode=0o700, exist_ok=True)


def _sqlite_file(database: str) -> Path | None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _busy_timeout(url: str, given: object) -> float:
    """The URL's `?timeout=` in seconds (0 to 1 day), else SQLITE_BUSY_TIMEOUT_S."""
    if given is None:
        return SQLITE_BUSY_TIMEOUT_S
    try:
        seconds = float(given)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 <= seconds <= 86_400:  # NaN fails too
        raise BadDatabaseURL(
            redact_url(url), f"timeout: expected 0 to 86400 seconds, got {given!r}"
        )
    return seconds


def make_engine(url: str) -> Engine:
    """An engine for `url` (SQLite file or PostgreSQL through psycopg 3).

    SQLite: the file's directory is created 0700 and the database file 0600 (its -wal and -shm
    files follow); WAL, foreign keys and a busy timeout (30 s, or the URL's `?timeout=` in
    seconds) are set on every connection; every transaction not marked read-only
    (`read_engine`) begins IMMEDIATE, so writers queue for the lock instead of failing.
    """
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        busy_timeout_s = _busy_timeout(url, parsed.query.get("timeout"))
        path = _sqlite_file(parsed.database or "")
        if path is not None:
            _private_directory(path.parent)
            _private_file(path)
        parsed = parsed.difference_update_query(["timeout"])
        engine = create_engine(parsed, connect_args={"timeout": busy_timeout_s})
        event.listen(engine, "connect", _sqlite_connect(busy_timeout_s))
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    log.debug(
        "database engine created",
        extra={"database": parsed.render_as_string(hide_password=True)},
    )
    return engine


def read_engine(engine: Engine) -> Engine:
    """The same engine (same pool) with transactions marked read-only: on SQLite they begin
    with a plain BEGIN and never wait for a writer. A transaction that may write must not use
    it."""
    return engine.execution_options(**{READ_OPTION: True})


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool) with write transactions marked as such (on SQLite they begin
    IMMEDIATE, as every transaction not marked read-only does)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def create_schema(engine: Engine) -> None:
    """Bring the database to the latest schema through the migrations (storage/migrations).

    An empty database is migrated from nothing; a database made by `create_all` before the
    migrations existed is checked against the first revision and stamped; two processes doing
    this at once queue on a lock. Raises StorageError for a database it cannot migrate.
    """
    from storage.migrations.runner import ensure_schema

    ensure_schema(engine)
