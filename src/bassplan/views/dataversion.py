"""Which data a result used, said once for every output: the region directory's origin and
fingerprint and each imported table's kind, file, version, SHA-256 and import time."""

from __future__ import annotations

from bassplan.domain.region import DataVersion, Region
from bassplan.i18n.words import Lang, label, say


def data_version_record(region: Region) -> dict[str, object]:
    """The region's data version as JSON-ready data (times ISO 8601 UTC)."""
    version = region.data_version
    return {
        "origin": version.origin,
        "fingerprint": version.fingerprint,
        "imported": [
            {"kind": t.kind, "filename": t.filename, "version": t.version,
             "sha256": t.sha256, "imported_at": t.imported_at}
            for t in version.imported
        ],
    }


def _time(iso: str) -> str:
    """'2026-12-06T21:00:05Z' as '2026-12-06 21:00 UTC' (minutes are enough to read)."""
    return iso[:16].replace("T", " ") + " UTC" if len(iso) >= 16 else iso


def describe_data_version(version: DataVersion, lang: Lang) -> str:
    """One line naming the data: origin with fingerprint, then the imported tables (or
    that there are none), e.g. for the report's front page and the CSV column."""
    origin = label("dv_bundled", lang) if version.origin == "bundled" else version.origin
    if version.imported:
        tables = ", ".join(
            say("dv_imported_table", lang, kind=label(f"data_kind_{t.kind}", lang),
                version=str(t.version), filename=t.filename, time=_time(t.imported_at),
                sha=t.sha256[:12])
            for t in version.imported
        )
        rest = say("dv_imported", lang, tables=tables)
    else:
        rest = label("dv_none_imported", lang)
    return say("dv_line", lang, origin=origin, fingerprint=version.fingerprint or "–",
               rest=rest)
