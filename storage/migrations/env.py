"""Alembic's environment: migrate the connection handed over in `config.attributes`.

Run by Alembic, never imported by Vigie. With no connection given (Alembic's own command line,
or `alembic_config(url=...)`), an engine is made from the configured URL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage.migrations.runner import include_object, target_metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.engine import make_engine

    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url given to the migrations")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("Vigie's migrations run online only (against a database)")
_main()
