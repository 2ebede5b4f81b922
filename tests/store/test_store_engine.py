"""The database URL, SQLite settings and clear errors for bad URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bassplan.domain.errors import BassError
from bassplan.store.engine import DEFAULT_URL, database_url, make_engine, safe_url, upgrade
from bassplan.store.errors import DatabaseError


def test_database_url_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BASS_DATABASE_URL", raising=False)
    assert database_url() == DEFAULT_URL == "sqlite:///bass.sqlite"
    monkeypatch.setenv("BASS_DATABASE_URL", "sqlite:///from_env.sqlite")
    assert database_url() == "sqlite:///from_env.sqlite"
    assert database_url("sqlite:///given.sqlite") == "sqlite:///given.sqlite"


def test_sqlite_has_foreign_keys_and_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "shown", "words"),
    [
        ("nonsense", "nonsense", "not a usable database URL"),
        ("nosuchdb://u:secret@host/db", "nosuchdb://u:***@host/db", "not a usable database URL"),
        ("postgresql+psycopg://bass:secret@127.0.0.1:1/bass",
         "postgresql+psycopg://bass:***@127.0.0.1:1/bass", "cannot connect"),
    ],
)
def test_bad_url_is_one_clear_line_without_password(url: str, shown: str, words: str) -> None:
    with pytest.raises(BassError) as caught:
        make_engine(url)
    message = str(caught.value)
    assert isinstance(caught.value, DatabaseError)
    assert message.startswith(f"database {shown}: {words}")
    assert "secret" not in message
    assert "\n" not in message


def test_unopenable_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing_dir' / 'bass.sqlite'}"
    with pytest.raises(DatabaseError, match="cannot connect"):
        upgrade(url)


def test_safe_url_hides_password_even_when_unparsable() -> None:
    assert safe_url("postgresql://a:pw@h/db") == "postgresql://a:***@h/db"
    assert "pw" not in safe_url("post gres://a:pw@h/db")
