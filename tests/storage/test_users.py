from __future__ import annotations

import pytest
from sqlmodel import Session, select

from storage.repository import Store
from storage.users import (
    User,
    UserError,
    UserRow,
    add_user,
    end_sessions,
    get_user,
    list_users,
    set_disabled,
    set_lang,
    set_password,
    verify_login,
)

PASSWORD = "a long enough password"


def test_passwords_are_argon2_hashed_and_never_in_the_read_model(store: Store) -> None:
    user = add_user(store.engine, username="ana", password=PASSWORD, role="admin", zone="5341")
    assert not any("hash" in name for name in User.__slots__)
    with Session(store.engine) as session:
        row = session.exec(select(UserRow)).one()
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert (user.role, user.zone, user.lang, user.disabled) == ("admin", "5341", "fr", False)


def test_verify_login(store: Store) -> None:
    add_user(store.engine, username="ana", password=PASSWORD, role="viewer", zone="5339")
    assert verify_login(store.engine, username="ana", password=PASSWORD) is not None
    assert verify_login(store.engine, username="ana", password=PASSWORD + "x") is None
    assert verify_login(store.engine, username="bob", password=PASSWORD) is None
    set_disabled(store.engine, username="ana")
    assert verify_login(store.engine, username="ana", password=PASSWORD) is None
    assert get_user(store.engine, username="ana").disabled  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "boss"}, "unknown role"),
        ({"zone": "1000"}, "unknown zone"),
        ({"lang": "de"}, "unknown language"),
        ({"password": "short"}, "at least 12"),
        ({"username": " "}, "1 to 64"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(
    store: Store, kwargs: dict[str, str], message: str
) -> None:
    args = {"username": "ana", "password": PASSWORD, "role": "viewer", "zone": "5339", **kwargs}
    with pytest.raises(UserError, match=message):
        add_user(store.engine, **args)


def test_usernames_are_unique_and_listed_in_order(store: Store) -> None:
    add_user(store.engine, username="zoe", password=PASSWORD, role="viewer", zone="5339")
    add_user(store.engine, username="ana", password=PASSWORD, role="viewer", zone="5339")
    with pytest.raises(UserError, match="exists already"):
        add_user(store.engine, username="ana", password=PASSWORD, role="admin", zone="5340")
    assert [u.username for u in list_users(store.engine)] == ["ana", "zoe"]
    assert set_lang(store.engine, username="ana", lang="nl").lang == "nl"
    with pytest.raises(UserError, match="no user"):
        set_disabled(store.engine, username="nobody")


def test_roles_are_ordered(store: Store) -> None:
    viewer = add_user(store.engine, username="v", password=PASSWORD, role="viewer", zone="5339")
    admin = add_user(store.engine, username="a", password=PASSWORD, role="admin", zone="5339")
    assert not viewer.can("investigator")
    assert admin.can("investigator")
    assert admin.can("admin")


def test_logout_password_change_and_disabling_move_the_session_generation(store: Store) -> None:
    add_user(store.engine, username="ana", password=PASSWORD, role="viewer", zone="5339")
    generations = [get_user(store.engine, username="ana").session_generation]  # type: ignore[union-attr]
    for change in (
        lambda: end_sessions(store.engine, username="ana"),
        lambda: set_password(store.engine, username="ana", password=PASSWORD + "!"),
        lambda: set_disabled(store.engine, username="ana"),
    ):
        generations.append(change().session_generation)
    assert generations == sorted(set(generations))  # strictly increasing: every session ends
    assert verify_login(store.engine, username="ana", password=PASSWORD + "!") is None  # disabled
    with pytest.raises(UserError):
        end_sessions(store.engine, username="nobody")
