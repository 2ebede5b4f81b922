"""What ``bass serve`` stores on its first start: every region's example scenarios, each in
its own region and checked against it, and nothing again once a region has scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bassplan.cli.serving import example_folders, seed_examples
from bassplan.store.engine import make_engine, session_factory, upgrade
from bassplan.store.repository import list_scenarios
from tests.support.paths import EXAMPLES, REPO


def _names(folder: Path) -> list[str]:
    """The ``name`` of every scenario file in ``folder``, read by hand."""
    return sorted(yaml.safe_load(p.read_text("utf-8"))["name"] for p in folder.glob("*.yaml"))


def test_the_first_start_stores_both_regions_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    upgrade(url)
    sessions = session_factory(make_engine(url))
    folders = example_folders(None, None)
    assert [(key, str(folder)) for key, _, folder in folders] == [
        ("sjaelland", "examples"), ("oestdanmark", "examples/oestdanmark")]
    for key, choice, folder in folders:
        seed_examples(sessions, key, choice, folder)
    for key, folder in (("sjaelland", EXAMPLES), ("oestdanmark", EXAMPLES / "oestdanmark")):
        stored = sorted(s.name for s in list_scenarios(sessions, region_id=key))
        assert stored == _names(folder)
    assert seed_examples(sessions, "oestdanmark", None, Path("examples/oestdanmark")) == []


def test_a_server_on_oestdanmark_stores_its_own_first_then_sjaellands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    folders = example_folders(Path("oestdanmark"), None)
    assert [(key, str(folder)) for key, _, folder in folders] == [
        ("oestdanmark", "examples/oestdanmark"), ("sjaelland", "examples")]
