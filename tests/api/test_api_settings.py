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


def test_session_token_and_proxy_settings_read_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import timedelta

    monkeypatch.setenv("BASS_SECRET_KEY", "s3cret")
    defaults = settings_from_env()
    assert defaults.session_timeouts().idle == timedelta(minutes=30)
    assert defaults.session_timeouts().absolute == timedelta(hours=8)
    assert (defaults.token_days, defaults.token_max_days, defaults.trusted_proxies) == (
        90, 365, ())
    monkeypatch.setenv("BASS_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("BASS_SESSION_MAX_HOURS", "12")
    monkeypatch.setenv("BASS_TOKEN_DAYS", "30")
    monkeypatch.setenv("BASS_TOKEN_MAX_DAYS", "60")
    monkeypatch.setenv("BASS_TRUSTED_PROXIES", " 10.0.0.5, 192.168.0.0/24 ")
    chosen = settings_from_env()
    assert (chosen.session_idle_seconds, chosen.session_max_age_seconds) == (15 * 60, 12 * 3600)
    assert (chosen.token_days, chosen.token_max_days) == (30, 60)
    assert chosen.trusted_proxies == ("10.0.0.5", "192.168.0.0/24")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("BASS_SESSION_IDLE_MINUTES", "0", "field 'BASS_SESSION_IDLE_MINUTES': '0' is not a whole"),
    ("BASS_TOKEN_DAYS", "400", "field 'BASS_TOKEN_DAYS': 400 is more than BASS_TOKEN_MAX_DAYS"),
    ("BASS_TRUSTED_PROXIES", "10.0.0.1,proxy", "'proxy' is not an IP address or network"),
])
def test_bad_settings_are_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str,
) -> None:
    from bassplan.domain.errors import InputError

    monkeypatch.setenv("BASS_SECRET_KEY", "s3cret")
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as caught:
        settings_from_env()
    assert message in caught.value.line() and caught.value.line().startswith("environment")


def test_bass_region_names_a_bundled_region(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    from bassplan.data.imports import region_with_overrides

    monkeypatch.setenv("BASS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BASS_REGION", "oestdanmark")  # wins over the older name
    settings = settings_from_env()
    assert settings.data_dir == Path("oestdanmark")
    region = region_with_overrides({}, settings.data_dir)  # what the server loads
    assert (region.name, len(region.areas)) == ("Region Østdanmark", 46)
