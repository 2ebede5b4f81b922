"""Numbers and names as the report prints them: thousands separators and decimal marks by
the language's conventions (``i18n/locale.csv``), shares as percent, indicator values by
their unit (a missing value, nan, shows as '–'), and specialty, indicator and site names in
the report's language. The one formatter of numbers: every interface formats through it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from bassplan.i18n.words import Lang, label, localise_number, pick, say

if TYPE_CHECKING:
    from bassplan.domain.region import Region, Site, Specialty
    from bassplan.domain.results import IndicatorDef
    from bassplan.views.records import SpecialtyHeadline

MISSING = "–"  # shown for nan and infinite values
UNIT_KEYS = {  # a unit as the data and the model write it → its word in the word store
    "DKK": "unit_dkk", "DKK/contact": "unit_dkk_per_contact", "DKK/year": "unit_dkk_per_year",
    "FTE": "unit_fte", "N": "unit_n_rota", "N in 1-in-N": "unit_n_rota",
    "admissions/year": "unit_admissions_per_year", "contacts/FTE/year": "unit_contacts_per_fte",
    "contacts/year": "unit_contacts_per_year", "days": "unit_days", "heads": "unit_heads",
    "hours/FTE/year": "unit_hours_per_fte", "hours/year": "unit_hours_per_year",
    "km/year": "unit_km_per_year", "minutes": "unit_minutes", "score": "unit_score",
    "trainee FTE/specialist FTE": "unit_trainee_per_specialist", "trips/year": "unit_trips",
    "visits/year": "unit_visits_per_year", "Gini 0-1": "unit_gini",
    "1 = yes / 0 = no": "unit_yes_no", "share": "unit_share", "DKK/km": "unit_dkk_per_km",
    "DKK/trip": "unit_dkk_per_trip", "consults": "unit_consults", "contacts": "unit_contacts",
    "g/km": "unit_g_per_km", "hours": "unit_hours", "km": "unit_km", "km/h": "unit_km_per_hour",
    "ratio": "unit_ratio", "residents": "unit_residents", "weeks": "unit_weeks",
}


def format_number(value: float, lang: Lang, decimals: int = 0, sign: bool = False) -> str:
    """Format with thousands separators (Danish: 1.234,5; English: 1,234.5); nan → '–'."""
    if not math.isfinite(value):
        return MISSING
    return localise_number(f"{value:+,.{decimals}f}" if sign else f"{value:,.{decimals}f}", lang)


def format_share(value: float, lang: Lang, sign: bool = False) -> str:
    """Format a share 0..1 as whole percent ('85 %' in Danish, '85%' in English)."""
    if not math.isfinite(value):
        return MISSING
    return localise_number(f"{100 * value:+,.0f}%" if sign else f"{100 * value:,.0f}%", lang)


def unit_label(unit: str, lang: Lang) -> str:
    """A unit in the reader's language ('DKK/contact' → 'kr. pr. kontakt'); a unit the word
    store does not know comes back as it is."""
    key = UNIT_KEYS.get(unit)
    return unit if key is None else label(key, lang)


def format_value(value: float, unit: str, lang: Lang) -> str:
    """Format an indicator value by its unit: shares as percent, yes/no flags as words, other
    values with 0, 1 or 2 decimals as they are ≥ 100, ≥ 10 or smaller, then the unit."""
    if not math.isfinite(value):
        return MISSING
    if unit == "share":
        return format_share(value, lang)
    if unit.startswith("1 = yes"):
        return label("yes" if value >= 0.5 else "no", lang)
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    shown = format_number(value, lang, decimals)
    return shown if unit in {"", "ratio"} else f"{shown} {unit_label(unit, lang)}"


def format_figure(value: float, decimals: int, lang: Lang) -> str:
    """Format a headline figure: with ``decimals`` decimals, or as percent when ``decimals``
    is negative (the figure is then a share 0..1)."""
    if decimals < 0:
        return format_share(value, lang)
    return format_number(value, lang, decimals)


def format_change(before: float, after: float, decimals: int, lang: Lang) -> str:
    """'before → after (±change)' as ``format_figure`` shows them; the change of a share
    (negative ``decimals``) is in percentage points ('85 % → 90 % (+5 pct.-point)')."""
    if decimals < 0:
        points = format_number(100 * (after - before), lang, 0, sign=True)
        change = f"{points} {label('points', lang)}"
    else:
        change = format_number(after - before, lang, decimals, sign=True)
    shown = (format_figure(before, decimals, lang), format_figure(after, decimals, lang))
    return f"{shown[0]} → {shown[1]} ({change})"


def local_name(item: Specialty | SpecialtyHeadline, lang: Lang) -> str:
    """A specialty's name in the report's language."""
    return pick(item.name_da, item.name_en, lang)


def indicator_name(indicator: IndicatorDef, lang: Lang) -> str:
    """An indicator's label in the report's language."""
    return pick(indicator.label_da, indicator.label_en, lang)


def specialty_name(region: Region, specialty_id: str, lang: Lang) -> str:
    """The name of the region's specialty with this id."""
    return local_name(region.specialties[region.specialty_index(specialty_id)], lang)


SHORT_NAME_CHARS = 18


def short_name(name: str, limit: int = SHORT_NAME_CHARS) -> str:
    """Shorten a site name for a column head: drop a parenthesis, then abbreviate leading
    words to initials until it fits ('Sjællands Universitetshospital Køge' → 'SU Køge')."""
    words = name.split("(", maxsplit=1)[0].split()
    for k in range(len(words)):
        head = "".join(w[0] for w in words[:k])
        text = " ".join([head, *words[k:]]) if head else " ".join(words)
        if len(text) <= limit:
            return text
    return " ".join(["".join(w[0] for w in words[:-1]), words[-1]])[:limit]


def site_short(site: Site, limit: int = SHORT_NAME_CHARS) -> str:
    """A site's short name: the region's own (sites.csv ``short_name``), else shortened."""
    return site.short_name or short_name(site.name, limit)


def short_site_name(region: Region, site_id: str) -> str:
    """The short name of the region's site with this id (see ``site_short``)."""
    return site_short(region.sites[region.site_index(site_id)])


def site_name(region: Region, site_id: str | None, lang: Lang) -> str:
    """The name of the region's site with this id; None is the specialty as a whole."""
    if site_id is None:
        return label("specialty_level", lang)
    return say_site(region.sites[region.site_index(site_id)], lang)


def say_site(site: Site, lang: Lang) -> str:
    """A site's full name in the reader's language (a former name as '(tidl. X)')."""
    title = site.title
    return title if isinstance(title, str) else say(title, lang)
