"""The data version a result names: the region directory's origin and fingerprint (a SHA-256
over its table files, computed here independently) and the imported tables."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from bassplan.data import bundled_region_dir, load_region
from bassplan.data.imports import region_with_overrides
from bassplan.domain.region import DataVersion, ImportedVersion
from bassplan.views.dataversion import data_version_record, describe_data_version


def _fingerprint(directory: Path) -> str:
    """The first 12 hex of SHA-256 over name NUL bytes NUL of every table file, by name."""
    h = hashlib.sha256()
    for name in sorted(p.name for p in directory.iterdir() if p.is_file()):
        if name.rsplit(".", 1)[-1] in {"csv", "xlsx", "yaml", "geojson"}:
            h.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    return h.hexdigest()[:12]


def test_the_bundled_region_names_its_fingerprint() -> None:
    version = load_region().data_version
    assert version == DataVersion("bundled", _fingerprint(bundled_region_dir()), ())


def test_a_copied_region_keeps_the_fingerprint_until_a_table_changes(tmp_path: Path) -> None:
    copy = tmp_path / "min_region"
    shutil.copytree(bundled_region_dir(), copy)
    same = load_region(copy).data_version
    assert (same.origin, same.fingerprint) == ("min_region", load_region().data_version.fingerprint)
    staffing = copy / "staffing.csv"
    staffing.write_text(staffing.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = load_region(copy).data_version.fingerprint
    assert changed == _fingerprint(copy) != same.fingerprint


def test_imported_tables_are_listed_with_the_base_fingerprint() -> None:
    own = bundled_region_dir() / "staffing.csv"
    text = own.read_text(encoding="utf-8")
    imported = (ImportedVersion("staffing", "normering.csv", 3, "ab" * 32, "2026-12-06T21:05:09Z"),)
    region = region_with_overrides({"staffing": text}, None, imported)
    assert region.data_version == DataVersion("bundled", _fingerprint(bundled_region_dir()),
                                              imported)
    record = data_version_record(region)
    assert record["imported"] == [{"kind": "staffing", "filename": "normering.csv",
                                   "version": 3, "sha256": "ab" * 32,
                                   "imported_at": "2026-12-06T21:05:09Z"}]
    fp = region.data_version.fingerprint
    assert describe_data_version(region.data_version, "da") == (
        f"Data: medfølgende regionsdata (fingeraftryk {fp}); importeret: Bemanding version 3 "
        f"(normering.csv, 2026-12-06 21:05 UTC, SHA-256 {'ab' * 6})")
    assert describe_data_version(load_region().data_version, "en") == (
        f"Data: bundled region data (fingerprint {fp}); no imported tables")
