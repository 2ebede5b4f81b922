"""What the population projection reads and says: a period life table, a trend in death
rates for later years, an official projection by age band, and the path that produced a
year's residents. The projection itself is ``model.population``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bassplan.domain.phrase import Phrase, phrase
from bassplan.domain.vocabulary import FloatArray, IntArray

AREA_TOTALS = "area_totals"  # PopulationPath.migration_source of the area_totals table


@dataclass(frozen=True)
class LifeTable:
    """A period life table: central death rates m_x (deaths per person-year) by sex and
    single age 0..n-1, the last age open-ended (e.g. 110+). ``sexes`` name the rows of
    ``mx``: 'M' and 'F', or 'T' for both sexes together."""

    year: int
    sexes: tuple[str, ...]
    mx: FloatArray  # (n_sexes, n_ages)


@dataclass(frozen=True)
class DeathRateTrend:
    """Period death rates (per person-year) by sex and age band for runs of calendar years
    (e.g. UN WPP's 2020-2025): how mortality moves away from the life table's year.

    Period p runs from ``period_from[p]`` to ``period_to[p]`` (mid-point their mean); band b
    runs from ``band_from[b]`` to the next band's start, the last band open-ended.
    """

    series: str  # e.g. 'WPP 2024'
    period_from: FloatArray  # (P,) years
    period_to: FloatArray  # (P,)
    sexes: tuple[str, ...]
    band_from: IntArray  # (B,)
    mx: FloatArray  # (P, n_sexes, B)


@dataclass(frozen=True)
class OfficialProjection:
    """An official projection of residents per area, year and age band on 1 January
    (e.g. Statistics Denmark's FRKM126); band b covers ages ``band_from[b]``..``band_to[b]``,
    the last band running to the population's top age."""

    name: str  # e.g. 'FRKM126'
    years: IntArray  # (Y,) ascending
    band_from: IntArray  # (B,)
    band_to: IntArray  # (B,)
    residents: FloatArray  # (Y, A, B)


class PathKind(StrEnum):
    """Where a year's residents come from."""

    REGISTER = "register"  # the base year's count
    COHORT = "cohort"  # the cohort-component model
    OFFICIAL = "official"  # an official projection's band totals, single ages by the model


@dataclass(frozen=True)
class PopulationPath:
    """The path that produced one year's residents, for every output to state.

    ``migration_to`` is the year whose known totals the residual net migration reaches
    (from ``migration_source``: 'area_totals' or the official projection's name); None
    means no migration (past the last known total). ``life_table_year`` None: no deaths.
    """

    kind: PathKind
    year: int
    base_year: int
    life_table_year: int | None = None
    trend: str = ""  # the death-rate trend's series, '' for none
    migration_to: int | None = None
    migration_source: str = ""
    official: str = ""  # the official projection's name (kind OFFICIAL)
    last_known: int | None = None  # the last year with known totals (no migration after it)


def _deaths_phrase(path: PopulationPath) -> Phrase:
    """The deaths the cohort model used: the life table, moved by a trend, or none."""
    if path.life_table_year is None:
        return phrase("path_no_deaths")
    if path.trend:
        return phrase("path_trend", year=path.life_table_year, trend=path.trend)
    return phrase("path_life_table", year=path.life_table_year)


def _migration_phrase(path: PopulationPath) -> Phrase:
    """The migration the cohort model added: the residual to a known total, or none."""
    if path.migration_to is not None and path.migration_source == AREA_TOTALS:
        return phrase("path_to_totals", year=path.migration_to)
    if path.migration_to is not None:
        return phrase("path_to_official", name=path.migration_source, year=path.migration_to)
    if path.last_known is not None:
        return phrase("path_no_migration_after", year=path.last_known)
    return phrase("path_no_migration")


def path_phrase(path: PopulationPath) -> Phrase:
    """The path of a year's residents as words, e.g. 'official projection FRKM126 (…)',
    'cohort model: life table 2019 moved by WPP 2024, residual migration to 2023 totals' or
    'register 2021' (said in a language by ``bassplan.i18n``)."""
    if path.kind is PathKind.REGISTER:
        return phrase("path_register", year=path.base_year)
    if path.kind is PathKind.OFFICIAL:
        return phrase("path_official", name=path.official,
                      model=phrase("path_model_line", deaths=_deaths_phrase(path)))
    return phrase("path_cohort", deaths=_deaths_phrase(path), migration=_migration_phrase(path))


@dataclass(frozen=True)
class ProjectedPopulation:
    """Residents by area and single age (A, n_ages) on 1 January of ``path.year``, and the
    path that produced them."""

    residents: FloatArray
    path: PopulationPath
