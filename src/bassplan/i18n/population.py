"""Say in words which path produced a year's residents (register, cohort model, official
projection), in Danish or English."""

from __future__ import annotations

from bassplan.domain.demography import AREA_TOTALS, PathKind, PopulationPath
from bassplan.i18n.labels import Lang, label


def _deaths(path: PopulationPath, lang: Lang) -> str:
    """The deaths the cohort model used: the life table, moved by a trend, or none."""
    if path.life_table_year is None:
        return label("path_no_deaths", lang)
    if path.trend:
        return label("path_trend", lang).format(year=path.life_table_year, trend=path.trend)
    return label("path_life_table", lang).format(year=path.life_table_year)


def _migration(path: PopulationPath, lang: Lang) -> str:
    """The migration the cohort model added: the residual to a known total, or none."""
    if path.migration_to is not None and path.migration_source == AREA_TOTALS:
        return label("path_to_totals", lang).format(year=path.migration_to)
    if path.migration_to is not None:
        return label("path_to_official", lang).format(name=path.migration_source,
                                                      year=path.migration_to)
    if path.last_known is not None:
        return label("path_no_migration_after", lang).format(year=path.last_known)
    return label("path_no_migration", lang)


def describe_path(path: PopulationPath, lang: Lang = "da") -> str:
    """One line naming the path of a year's residents, e.g. 'official projection FRKM126
    (…)' or 'cohort model: life table 2019 moved by WPP 2024, residual migration to 2023
    totals' or 'register 2021'."""
    if path.kind is PathKind.REGISTER:
        return label("path_register", lang).format(year=path.base_year)
    if path.kind is PathKind.OFFICIAL:
        model = f"{label('path_model', lang)}: {_deaths(path, lang)}"
        return label("path_official", lang).format(name=path.official, model=model)
    return label("path_cohort", lang).format(deaths=_deaths(path, lang),
                                             migration=_migration(path, lang))
