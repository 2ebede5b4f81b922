"""Dates and times as a reader in Denmark expects them: Copenhagen time, in the order of the
reader's language (``i18n/locale.csv``: 31.12.2026 14:05:09 in Danish, ISO-like in English)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bassplan.i18n.words import Lang, convention

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


def local_today() -> date:
    """Today's date in Copenhagen."""
    return datetime.now(LOCAL_ZONE).date()


def format_date(value: date | None, lang: Lang) -> str:
    """A date as 31.12.2026 (Danish) or 2026-12-31 (English); "–" for none."""
    if value is None:
        return "–"
    return value.strftime(convention("date_format", lang))


def format_time(value: datetime, lang: Lang) -> str:
    """A timezone-aware moment in Copenhagen time, to the second."""
    local = value.astimezone(LOCAL_ZONE)
    return local.strftime(convention("datetime_format", lang))
