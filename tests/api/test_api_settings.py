"""Settings from the environment: explicit values, and one generated secret per process."""

from __future__ import annotations

from pathlib import Path

import pytest

from bassplan.api.settings import settings_from_env


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BASS_DATABASE_URL", "sqlite:///x.sqlite")
    monkeypatch.setenv("BASS_SECRET_KEY", "s3cret")
    monkeypatch.setenv("BASS_DATA_DIR", str(tmp_path))
    settings = settings_from_env()
    assert (settings.database_url, settings.secret_key, settings.data_dir) == (
        "sqlite:///x.sqlite", "s3cret", tmp_path)


def test_missing_secret_is_generated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BASS_SECRET_KEY", raising=False)
    monkeypatch.delenv("BASS_DATA_DIR", raising=False)
    first, second = settings_from_env(), settings_from_env()
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    assert first.data_dir is None
