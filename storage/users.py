"""Accounts of the review app: who may log in, with which role, for which zone, in which language.

The password hash never leaves this module: `User` (the read model) has no hash field, and
passwords are checked here with argon2 (`verify_login`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.columns import UTCDateTime
from storage.errors import StorageError
from storage.roles import LANGS as LANGS
from storage.roles import ROLES as ROLES
from storage.roles import ZONES as ZONES

MIN_PASSWORD = 12

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying an unknown user costs the same as a known one (no user enumeration by timing).
    Computed at the first login, not at import: every command imports this module."""
    return _hasher.hash("vigie-dummy-password")


class UserError(StorageError):
    """A user cannot be created or changed as asked (the message says why)."""


class OtherZone(StorageError):
    """A decision, watchlist entry or alert of one zone that an account of another zone tried
    to change (README: the zone boundary)."""

    def __init__(self, what: str, owner: str, zone: str) -> None:
        self.what, self.owner, self.zone = what, owner, zone
        super().__init__(f"{what} belongs to zone {owner}; zone {zone} may not change it")


def check_zone(what: str, *, owner: str | None, acting_zone: str | None) -> None:
    """Raise OtherZone unless `acting_zone` may change a thing of zone `owner`: the same zone,
    or a thing of no zone, or `acting_zone` None (an administrator, or the zone's CLI)."""
    if acting_zone is not None and owner is not None and owner != acting_zone:
        raise OtherZone(what, owner, acting_zone)


def acting_zone(user: User) -> str | None:
    """The zone whose things `user` may change: their own; None (every zone) for an admin."""
    return None if user.can("admin") else user.zone


class UserRow(SQLModel, table=True):
    __tablename__ = "web_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    password_hash: str
    role: str
    zone: str
    lang: str = "fr"
    disabled: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Bumped by a logout, a password change or disabling: every older session ends."""


@dataclass(frozen=True, slots=True)
class User:
    username: str
    role: str
    zone: str
    lang: str
    disabled: bool
    created_at: datetime
    session_generation: int = 0
    """A session is valid only while it carries this number (see `end_sessions`)."""

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or a more powerful one."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _user(row: UserRow) -> User:
    return User(
        username=row.username,
        role=row.role,
        zone=row.zone,
        lang=row.lang,
        disabled=row.disabled,
        created_at=row.created_at,
        session_generation=row.session_generation,
    )


def _check(*, role: str, zone: str, lang: str) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if zone not in ZONES:
        raise UserError(f"unknown zone {zone!r}; expected one of {', '.join(ZONES)}")
    if lang not in LANGS:
        raise UserError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")


def add_user(
    engine: Engine, *, username: str, password: str, role: str, zone: str, lang: str = "fr"
) -> User:
    """Create an account; raise UserError for a bad role/zone/language, a short password or a
    username already taken."""
    username = username.strip()
    if not username or len(username) > 64:
        raise UserError("a username has 1 to 64 characters")
    _check(role=role, zone=zone, lang=lang)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    row = UserRow(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        zone=zone,
        lang=lang,
        created_at=datetime.now(UTC),
    )
    try:
        with Session(engine) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
            return _user(row)
    except IntegrityError:
        raise UserError(f"user {username!r} exists already") from None


def get_user(engine: Engine, *, username: str) -> User | None:
    with Session(engine) as session:
        row = session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
        return _user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    with Session(engine) as session:
        rows = session.exec(select(UserRow).order_by(col(UserRow.username))).all()
        return [_user(row) for row in rows]


def verify_login(engine: Engine, *, username: str, password: str) -> User | None:
    """The user when the password is right and the account enabled; None otherwise."""
    with Session(engine) as session:
        row = session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
        try:
            _hasher.verify(row.password_hash if row else _dummy_hash(), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None or row.disabled:
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
            session.add(row)
            session.commit()
            session.refresh(row)
        return _user(row)


def _update(engine: Engine, username: str, **values: object) -> User:
    with Session(engine) as session:
        row = session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
        if row is None:
            raise UserError(f"no user {username!r}")
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        session.commit()
        session.refresh(row)
        return _user(row)


def _bumped(engine: Engine, username: str, **values: object) -> User:
    """Change the account and end every session of it, in one transaction."""
    with Session(engine) as session:
        row = session.exec(select(UserRow).where(col(UserRow.username) == username)).first()
        if row is None:
            raise UserError(f"no user {username!r}")
        for name, value in values.items():
            setattr(row, name, value)
        row.session_generation += 1
        session.add(row)
        session.commit()
        session.refresh(row)
        return _user(row)


def end_sessions(engine: Engine, *, username: str) -> User:
    """End every session of the user (a logout ends them all, on every device)."""
    return _bumped(engine, username)


def set_disabled(engine: Engine, *, username: str, disabled: bool = True) -> User:
    """Disable (or enable) an account; disabling ends its sessions."""
    return _bumped(engine, username, disabled=disabled) if disabled else _update(
        engine, username, disabled=False
    )


def set_password(engine: Engine, *, username: str, password: str) -> User:
    """Change the password (at least MIN_PASSWORD characters); every session of the user ends."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    return _bumped(engine, username, password_hash=_hasher.hash(password))


def set_lang(engine: Engine, *, username: str, lang: str) -> User:
    if lang not in LANGS:
        raise UserError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return _update(engine, username, lang=lang)
