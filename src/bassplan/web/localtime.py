"""Dates and times as a reader in Denmark expects them: Copenhagen time, Danish
(31.12.2026 14:05:09) or ISO-like English order."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bassplan.i18n.labels import Lang

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


def local_today() -> date:
    """Today's date in Copenhagen."""
    return datetime.now(LOCAL_ZONE).date()


def format_date(value: date | None, lang: Lang) -> str:
    """A date as 31.12.2026 (Danish) or 2026-12-31 (English); "–" for none."""
    if value is None:
        return "–"
    return value.strftime("%d.%m.%Y") if lang == "da" else value.isoformat()


def format_time(value: datetime, lang: Lang) -> str:
    """A timezone-aware moment in Copenhagen time, to the second."""
    local = value.astimezone(LOCAL_ZONE)
    return local.strftime("%d.%m.%Y %H:%M:%S" if lang == "da" else "%Y-%m-%d %H:%M:%S")
