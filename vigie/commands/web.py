"""The review app: `vigie serve`, and its accounts: `vigie users add|disable|list`."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from storage.roles import LANGS, ROLES, ZONES
from vigie import jsonrows
from vigie.commands.base import (
    DatabaseOpt,
    Failure,
    JsonOpt,
    app,
    edge,
    emit_json,
    open_store,
    out,
    settings_for,
)
from vigie.terminal import safe

if TYPE_CHECKING:  # the store (SQLModel, argon2) and the web app load when a command runs
    from storage.repository import Store

users_app = typer.Typer(help="Accounts of the review app.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    database: DatabaseOpt = None,
) -> None:
    """Serve the investigators' review app (log in with an account from `vigie users add`)."""
    import uvicorn

    from storage.engine import redact_url
    from vigie.crosslink import shared_pseudonym_key
    from vigie.web import WebConfig, create_app
    from vigie.web.secret import load_or_create_secret

    with edge():
        settings = settings_for(database)
        secret = settings.secret_key or load_or_create_secret(settings.data_dir / "secret_key")
        try:
            config = WebConfig(
                secret_key=secret,
                https_only=settings.secure_cookies,
                region=settings.region,
                pseudonym_key=shared_pseudonym_key(settings),
            )
        except ValueError as exc:
            raise Failure(f"VIGIE_SECRET_KEY: {exc}") from None
        store = open_store(settings)
        shown = escape(redact_url(settings.database))
        out.print(f"Vigie review app on [bold]http://{host}:{port}/[/] — database {shown}")
        try:
            uvicorn.run(
                create_app(store, config),
                host=host,
                port=port,
                log_level="warning",
                # Forwarded headers only from the configured proxies; never uvicorn's default
                # (127.0.0.1), which would let any local client pick its address per request.
                proxy_headers=bool(settings.proxies),
                forwarded_allow_ips=settings.proxies,
            )
        finally:
            store.close()


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "investigator",
    zone: Annotated[str, typer.Option(help=f"Police zone: {', '.join(ZONES)}.")] = "5339",
    lang: Annotated[str, typer.Option(help=f"Language: {', '.join(LANGS)}.")] = "fr",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Create an account (the password is asked for, or read from stdin; argon2-hashed)."""
    from storage.users import UserError, add_user

    with edge():
        settings = settings_for(database)
        password = _new_password(password_stdin)
        with open_store(settings) as store:
            try:
                user = add_user(
                    store.engine,
                    username=username,
                    password=password,
                    role=role,
                    zone=zone,
                    lang=lang,
                )
            except UserError as exc:
                raise Failure(str(exc)) from None
            _audit(store, f"add {user.role} zone {user.zone}", user.username)
        out.print(f"user {user.username} added ({user.role}, zone {user.zone}, {user.lang})")


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="Login name.")],
    database: DatabaseOpt = None,
) -> None:
    """Disable an account (every session of it ends at once)."""
    from storage.users import UserError, set_disabled

    with edge():
        settings = settings_for(database)
        with open_store(settings) as store:
            try:
                set_disabled(store.engine, username=username)
            except UserError as exc:
                raise Failure(str(exc)) from None
            _audit(store, "disable", username)
        out.print(f"user {username} disabled")


@users_app.command("password")
def users_password(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Set a new password (asked for, or read from stdin); every session of the account ends."""
    from storage.users import UserError, set_password

    with edge():
        settings = settings_for(database)
        password = _new_password(password_stdin)
        with open_store(settings) as store:
            try:
                set_password(store.engine, username=username, password=password)
            except UserError as exc:
                raise Failure(str(exc)) from None
            _audit(store, "password", username)
        out.print(f"password of {username} changed; its sessions have ended")


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return typer.get_text_stream("stdin").readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise Failure("the two passwords differ")
    return password


@users_app.command("list")
def users_list(as_json: JsonOpt = False, database: DatabaseOpt = None) -> None:
    """List the accounts."""
    from storage.users import list_users

    with edge():
        settings = settings_for(database)
        with open_store(settings) as store:
            users = list_users(store.engine)
            if as_json:
                emit_json(jsonrows.user(u) for u in users)
                return
            for user in users:
                state = "disabled" if user.disabled else "active"
                out.print(
                    safe(f"{user.username}\t{user.role}\t{user.zone}\t{user.lang}\t{state}"),
                    highlight=False,
                )


def _audit(store: Store, change: str, username: str) -> None:
    from storage.audit import AuditLog

    actor = f"cli:{getpass.getuser()}"
    AuditLog(store.engine).record(
        actor=actor,
        action="user_change",
        object_type="user",
        object_id=username,
        details={"change": change},
    )
