"""build_bundle: the bundled directory is exactly what the build script writes."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from bassplan.data import bundled_region_dir, load_region
from bassplan.data.bundle.build import main
from tests.support.paths import SHARED


@pytest.mark.skipif(not (SHARED / "SOURCES.md").is_file(), reason="shared/data not beside the repo")
def test_build_reproduces_the_bundle(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    assert main([str(SHARED), str(out)]) == 0
    bundled = bundled_region_dir()
    built = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    assert built == kept
    for rel in built:
        assert filecmp.cmp(out / rel, bundled / rel, shallow=False), rel
    assert len(load_region(out).areas) == 17


def test_usage_message() -> None:
    assert main([]) == 2
