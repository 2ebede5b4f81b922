"""Users, password hashes, roles and API tokens."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from bassplan.domain.errors import InputError
from bassplan.store.accounts import (
    authenticate,
    create_token,
    create_user,
    get_user,
    require_role,
    revoke_token,
    set_role,
    user_for_token,
)
from bassplan.store.audit import list_audit
from bassplan.store.errors import AlreadyExists, Forbidden
from bassplan.store.models import ApiToken
from bassplan.store.passwords import hash_password, verify_password

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)


def test_password_hash_and_verify() -> None:
    first = hash_password("hemmeligt-æøå")
    second = hash_password("hemmeligt-æøå")
    assert first != second  # a fresh salt each time
    assert first.startswith("$argon2id$")
    assert "hemmeligt" not in first
    assert verify_password("hemmeligt-æøå", first)
    assert verify_password("hemmeligt-æøå", second)
    assert not verify_password("hemmeligt-aoa", first)
    assert not verify_password("hemmeligt-æøå", "hemmeligt-æøå")  # a plain value is no hash
    assert not verify_password("x", "scrypt$a$b$c$d$e")
    assert not verify_password("x", "$argon2id$v=19$broken")
    # a hash from the first development store (scrypt, n=16384, r=8, p=1) still verifies
    legacy = ("scrypt$16384$8$1$" + base64.urlsafe_b64encode(b"s" * 16).decode().rstrip("=")
              + "$" + base64.urlsafe_b64encode(hashlib.scrypt(b"gammel", salt=b"s" * 16,
                                                              n=16384, r=8, p=1, dklen=32,
                                                              maxmem=2**26)).decode().rstrip("="))
    assert verify_password("gammel", legacy)
    assert not verify_password("ny", legacy)


def test_users_login_and_roles(db: Db) -> None:
    admin = create_user(db.sessions, username="admin", display_name="Åse Ødegård",
                        password="styr-paa-drift-1", role="admin")
    user = create_user(db.sessions, username="bo", display_name="Bo Bæk",
                       password="rigtig-lang-kode", role="viewer", actor_id=admin.id)
    assert user.password_hash != "rigtig-lang-kode" and user.password_hash.startswith("$argon2id$")
    found = authenticate(db.sessions, username="bo", password="rigtig-lang-kode")
    assert found is not None and found.id == user.id
    assert authenticate(db.sessions, username="bo", password="forkert-lang-kode") is None
    assert authenticate(db.sessions, username="ingen", password="rigtig-lang-kode") is None
    assert get_user(db.sessions, username="admin").display_name == "Åse Ødegård"
    with pytest.raises(AlreadyExists):
        create_user(db.sessions, username="bo", display_name="x", password="en-anden-lang-kode")
    with pytest.raises(InputError, match="'boss' is not one of viewer"):
        create_user(db.sessions, username="c", display_name="c", password="en-anden-lang-kode",
                    role="boss")

    with pytest.raises(Forbidden, match="user 'bo' has role 'viewer'; this needs 'planner'"):
        require_role(user, "planner")
    promoted = set_role(db.sessions, username="bo", role="program", actor_id=admin.id)
    require_role(promoted, "planner")
    with pytest.raises(Forbidden):
        require_role(promoted, "admin")
    gone = set_role(db.sessions, username="bo", active=False, actor_id=admin.id)
    with pytest.raises(Forbidden, match="'inactive'"):
        require_role(gone, "viewer")
    assert authenticate(db.sessions, username="bo", password="rigtig-lang-kode") is None

    entries = list_audit(db.sessions, entity="user", entity_id=user.id)
    assert [e.action for e in entries] == ["update", "update", "create"]
    assert {e.user_id for e in entries} == {admin.id}
    change = json.loads(entries[1].before or ""), json.loads(entries[1].after or "")
    assert (change[0]["role"], change[1]["role"]) == ("viewer", "program")
    assert all("password_hash" not in (e.after or "") + (e.before or "") for e in entries)


def test_api_token_is_stored_only_as_its_hash(db: Db) -> None:
    user = create_user(db.sessions, username="api", display_name="Robot",
                       password="robot-kode-til-rapport", role="planner")
    token = create_token(db.sessions, username="api", name="rapport-job")
    with db.engine.connect() as conn:
        stored = conn.execute(sa.select(ApiToken.token_hash, ApiToken.id)).one()
        dump = " ".join(str(r) for r in conn.execute(sa.text("SELECT * FROM api_tokens")))
    assert stored[0] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in dump
    found = user_for_token(db.sessions, token=token)
    assert found is not None and found.id == user.id
    assert user_for_token(db.sessions, token=token + "x") is None
    with db.sessions() as session:
        assert session.get(ApiToken, stored[1]).last_used_at is not None  # type: ignore[union-attr]
    audit = list_audit(db.sessions, entity="api_token")[0]
    assert "token_hash" not in (audit.after or "") and token not in (audit.after or "")
    revoke_token(db.sessions, token_id=stored[1], actor=user)
    assert user_for_token(db.sessions, token=token) is None


def test_the_first_start_creates_one_admin_and_only_once(db: Db) -> None:
    from bassplan.store.accounts import authenticate, ensure_first_admin, list_users

    password = ensure_first_admin(db.sessions)
    assert password is not None and len(password) >= 12
    user = authenticate(db.sessions, username="admin", password=password)
    assert user is not None and user.role == "admin"
    assert ensure_first_admin(db.sessions) is None
    assert [u.username for u in list_users(db.sessions)] == ["admin"]
