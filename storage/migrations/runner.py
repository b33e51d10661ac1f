"""Running Vigie's migrations: bring a database to the head revision, stamp, report.

`ensure_schema` is what `storage.engine.create_schema` does on every `Store.open`:

- a database with Alembic's version table is upgraded to head (if it is not there already);
- an empty database is migrated from nothing to head (as fast as `create_all` + stamp, measured:
  ~37 ms either way on SQLite, so the migrations themselves are what every test runs);
- a database made by `create_all` before migrations existed (Vigie tables, no version table) is
  checked against revision 0001, stamped 0001 and upgraded.

All of it runs in one write transaction, so two processes opening the same new database queue
instead of both creating tables: BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL.
On SQLite, foreign keys are off while a migration runs (a batch migration recreates a table, and
dropping `ad` would otherwise cascade to its versions); `PRAGMA foreign_key_check` runs before
the commit instead.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, func, inspect, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage.engine import write_engine
from storage.errors import StorageError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent
BASELINE = "0001"
VERSION_TABLE = "alembic_version"
ADVISORY_LOCK = 0x56_49_47_49  # "VIGI": serialises schema changes on one PostgreSQL database


TABLE_MODULES = (
    "storage.audit",
    "storage.exchange.alerts",
    "storage.exchange.tables",
    "storage.foreignlinks",
    "storage.reviews",
    "storage.runs",
    "storage.tables",
    "storage.users",
    "storage.watchlists",
)
"""Every module that defines a table (tests/storage/test_migrations.py checks the list)."""


DATABASE_ONLY_INDEXES = frozenset({"ix_ad_title_trgm", "ix_ad_text_trgm", "ix_ad_words"})
"""Indexes a migration makes on PostgreSQL alone (pg_trgm, revision 0011; words, 0013) that
the models do not declare: comparisons of the schema with the models leave them out."""


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter for schema comparisons (see DATABASE_ONLY_INDEXES)."""
    return not (type_ == "index" and reflected and name in DATABASE_ONLY_INDEXES)


def target_metadata() -> MetaData:
    """`SQLModel.metadata` with every table module of Vigie registered on it."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return SQLModel.metadata


def alembic_config(*, connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic's configuration, in code: our script directory and the connection (or URL)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    if head is None:  # pragma: no cover — the package ships its revisions
        raise StorageError(f"no migration found in {MIGRATIONS_DIR}")
    return head


def known_revisions() -> list[str]:
    """Every revision, oldest first."""
    return [script.revision for script in reversed(list(_script().walk_revisions()))]


def baseline_schema() -> MetaData:
    """The tables of revision 0001, as that revision defines them."""
    module: ModuleType = _script().get_revision(BASELINE).module
    schema: MetaData = module.schema()
    return schema


def current_revision(connection: Connection) -> str | None:
    """The database's revision (None: no version table, or an empty one)."""
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction that holds the schema lock; committed on exit."""
    with write_engine(engine).connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # outside any transaction: SQLite ignores this pragma inside one
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():  # on SQLite, BEGIN IMMEDIATE: the lock
                if not sqlite:
                    conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK)))
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(
                            f"migration left {len(broken)} row(s) with a dangling foreign key, "
                            f"first in table {broken[0][0]!r}; nothing was changed"
                        )
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _check_known(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise StorageError(
            f"the database is at schema revision {revision!r}, which this version of Vigie does "
            f"not know (was it migrated by a newer Vigie?); known: {', '.join(known_revisions())}"
        )


def _upgrade(conn: Connection, target: str) -> None:
    before = current_revision(conn)
    _check_known(before)
    if before == (head_revision() if target == "head" else target):
        return
    command.upgrade(alembic_config(connection=conn), target)
    log.info("database schema upgraded from %s to %s", before or "nothing", current_revision(conn))


def _adopt(conn: Connection, existing: set[str]) -> None:
    """Stamp a pre-migration database at 0001 if its tables are those of 0001."""
    baseline = baseline_schema()
    inspector = inspect(conn)
    problems = []
    for table in baseline.sorted_tables:
        if table.name not in existing:
            continue
        have = {column["name"] for column in inspector.get_columns(table.name)}
        missing = sorted(set(table.columns.keys()) - have)
        if missing:
            problems.append(f"table {table.name} lacks {', '.join(missing)}")
    if problems:
        raise StorageError(
            "the database has Vigie tables but no migration history, and they are not those of "
            f"schema revision {BASELINE}: {'; '.join(problems)}"
        )
    absent = [table.name for table in baseline.sorted_tables if table.name not in existing]
    baseline.create_all(conn)  # checkfirst: only the tables an older create_all did not make
    command.stamp(alembic_config(connection=conn), BASELINE)
    log.warning(
        "database created before migrations: its tables match revision %s, stamped it%s",
        BASELINE,
        f" (created the missing tables {', '.join(absent)})" if absent else "",
    )


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the head revision, whatever state it is in (see the module)."""
    with migrating(engine) as conn:
        existing = set(inspect(conn).get_table_names())
        if VERSION_TABLE in existing:
            _upgrade(conn, "head")
            return
        ours = {table.name for table in baseline_schema().sorted_tables}
        if existing & ours:
            _adopt(conn, existing)
            _upgrade(conn, "head")
            return
        _upgrade(conn, "head")


def _target(target: str) -> str:
    if target not in ("head", "base") and target not in known_revisions():
        raise StorageError(
            f"unknown schema revision {target!r}; known: head, base, {', '.join(known_revisions())}"
        )
    return target


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `target` (adopting a pre-migration database); (before, after) revisions."""
    target = _target(target)
    with migrating(engine) as conn:
        before = current_revision(conn)
        existing = set(inspect(conn).get_table_names())
        ours = {table.name for table in baseline_schema().sorted_tables}
        if VERSION_TABLE not in existing and existing & ours:
            _adopt(conn, existing)
        _upgrade(conn, target)
        return before, current_revision(conn)


def downgrade(engine: Engine, target: str) -> tuple[str | None, str | None]:
    """Downgrade to `target` ("base": drop every table); (before, after) revisions."""
    target = _target(target)
    with migrating(engine) as conn:
        before = current_revision(conn)
        _check_known(before)
        command.downgrade(alembic_config(connection=conn), target)
        log.warning("database schema downgraded from %s to %s", before, target)
        return before, current_revision(conn)


def revision_of(engine: Engine) -> str | None:
    """The database's current revision, read without changing anything."""
    with engine.connect() as conn:
        return current_revision(conn)
