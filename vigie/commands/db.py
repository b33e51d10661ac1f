"""`vigie db upgrade` and `vigie db current`: the schema migrations of Vigie's database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from vigie.commands.base import DatabaseOpt, Failure, app, edge, out, settings_for

db_app = typer.Typer(
    help="The database schema: upgrade it to this Vigie's version, show its revision.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")

if TYPE_CHECKING:  # SQLAlchemy and Alembic load when a command runs, not for `--help`
    from sqlalchemy.exc import OperationalError


@db_app.command()
def upgrade(
    database: DatabaseOpt = None,
    revision: Annotated[
        str, typer.Option("--revision", help="Target revision (default: the latest, head).")
    ] = "head",
) -> None:
    """Migrate the database to the latest schema; safe to run again, and while crawls run."""
    from sqlalchemy.exc import OperationalError

    from storage.engine import make_engine
    from storage.migrations import runner

    with edge():
        engine = make_engine(settings_for(database).database)
        try:
            before, after = runner.upgrade(engine, revision)
        except OperationalError as exc:  # unreachable, or a schema the migration cannot apply
            raise Failure(f"database error, nothing migrated: {_first_line(exc)}") from exc
        finally:
            engine.dispose()
        if before == after:
            out.print(f"database already at revision {after}", highlight=False)
        else:
            out.print(f"database upgraded from {before or 'nothing'} to {after}", highlight=False)


@db_app.command()
def current(database: DatabaseOpt = None) -> None:
    """Show the database's schema revision and the latest this Vigie knows."""
    from sqlalchemy.exc import OperationalError

    from storage.engine import make_engine
    from storage.migrations import runner

    with edge():
        engine = make_engine(settings_for(database).database)
        try:
            revision = runner.revision_of(engine)
        except OperationalError as exc:
            raise Failure(f"cannot reach the database: {_first_line(exc)}") from exc
        finally:
            engine.dispose()
        head = runner.head_revision()
        state = "up to date" if revision == head else "run `vigie db upgrade`"
        out.print(f"database revision: {revision or 'none'} (latest: {head}; {state})",
                  highlight=False)


def _first_line(exc: OperationalError) -> str:
    return str(exc.orig).strip().splitlines()[0]
