"""Residents by area and single age in a scenario year: a cohort-component projection from
the base year, re-anchored to known totals and to an official projection where there is one.

One year, 1 January to 1 January (Preston, Heuveline & Guillot 2001, *Demography*, ch. 6):

    P[t+1, x+1] = P[t, x] · s_x          s_x = exp(−(m_x + m_{x+1}) / 2)
    P[t+1, top] = P[t, top−1] · s_{top−1} + P[t, top] · s_top,   s_top = exp(−m_top)
    P[t+1, 0]   = births (the age 0 of the latest anchor: births held at that level)

A resident aged x on 1 January is x½ years old on average, so the year is lived at the death
rate half-way between ages x and x+1. The death rates m (per person-year) are the life
table's by single age and sex, moved by the trend's change in the age band's rate since the
life table's year (log-linear between the trend's period mid-points, held beyond them), and
the two sexes weighted as in a stationary population (the life table's survivors,
``SEX_RATIO_AT_BIRTH`` boys per girl). The open top age of the population takes the rate of
the life table's ages above it (deaths / person-years of that stationary population).

Net migration is the residual. An *anchor* is a year with known totals per area
(``Population.known_totals``) or an official projection's age bands (which win where both
exist). From one anchor t0 to the next t1 the model runs without migration; at t1 each
area is scaled to its known total, or each band to the official band total (single ages
inside a band keep the model's profile). A year t between them is the no-migration
result × c^((t−t0)/(t1−t0)), c = the correction at t1 of the age each cohort then has:
every cohort's residual arrives evenly in relative terms (with totals only, c is the
area's scale, so migrants have the age profile of the residents). After the last anchor
there is no migration. Vectorised over areas; the only loop is over years.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bassplan.domain.demography import (
    AREA_TOTALS,
    DeathRateTrend,
    LifeTable,
    OfficialProjection,
    PathKind,
    PopulationPath,
    ProjectedPopulation,
)
from bassplan.domain.errors import InputError
from bassplan.domain.region import Population
from bassplan.domain.vocabulary import FloatArray, IntArray

SEX_RATIO_AT_BIRTH = 1.05  # boys per girl; illustrative (the usual human ratio at birth)
MID_YEAR = 0.5  # a calendar year's rates hold at its middle


def open_age_rates(mx: FloatArray, top: int) -> FloatArray:
    """Death rates (..., top+1) for the population's ages 0..top from a life table's (..., n)
    whose last age is open: ages below ``top`` as given; age ``top`` the rate of the whole
    group top+ in a stationary population with these rates (deaths / person-years). A table
    that ends below ``top`` holds its last rate."""
    n = mx.shape[-1]
    if n <= top + 1:
        pad = np.repeat(mx[..., -1:], top + 1 - n, axis=-1)
        return np.concatenate([mx, pad], axis=-1)
    tail = mx[..., top:]  # ages top..n-1, the last open
    closed = tail[..., :-1]
    survivors = np.exp(-np.concatenate([np.zeros_like(tail[..., :1]), closed], axis=-1)
                       .cumsum(axis=-1))  # l at each age, 1 at ``top``
    dying = -np.expm1(-closed)  # share of l dying within each closed age
    safe = np.where(closed > 0, closed, 1.0)
    years_closed = survivors[..., :-1] * np.where(closed > 0, dying / safe, 1.0)
    last, l_last = tail[..., -1], survivors[..., -1]
    years_open = np.where(last > 0, l_last / np.where(last > 0, last, 1.0), 0.0)
    deaths = (survivors[..., :-1] * dying).sum(axis=-1) + np.where(last > 0, l_last, 0.0)
    person_years = years_closed.sum(axis=-1) + years_open
    group = np.where(person_years > 0, deaths / np.where(person_years > 0, person_years, 1.0),
                     0.0)
    return np.concatenate([mx[..., :top], group[..., None]], axis=-1)


def both_sexes(mx: FloatArray, sexes: tuple[str, ...]) -> FloatArray:
    """(..., n) death rates of both sexes together from (..., n_sexes, n): the 'T' row if
    there is one, else the rows weighted by a stationary population's survivors l_x,
    ``SEX_RATIO_AT_BIRTH`` boys per girl at birth (so the old ages lean to women, as they do)."""
    if "T" in sexes:
        return np.asarray(mx[..., sexes.index("T"), :], dtype=np.float64)
    births = np.array([SEX_RATIO_AT_BIRTH if s == "M" else 1.0 for s in sexes])
    hazard = np.cumsum(mx, axis=-1) - mx  # Σ of the rates below each age
    weight = births[:, None] * np.exp(-hazard)
    result: FloatArray = (weight * mx).sum(axis=-2) / weight.sum(axis=-2)
    return result


def trend_factor(trend: DeathRateTrend, sexes: tuple[str, ...], n_ages: int,
                 reference: float, when: FloatArray) -> FloatArray:
    """(T, n_sexes, n_ages) the trend's death rate of each single age's band at the times
    ``when`` (T,) over its rate at ``reference`` (years; log-linear between the periods'
    mid-points, held beyond the first and the last)."""
    mids = (trend.period_from + trend.period_to) / 2.0
    rows = [trend.sexes.index(s) for s in sexes]
    log_m = np.log(np.maximum(trend.mx[:, rows, :], 1e-12))  # (P, n_sexes, B)

    def at(times: FloatArray) -> FloatArray:
        if len(mids) == 1:
            return np.broadcast_to(log_m[0], (len(times), *log_m.shape[1:]))
        k = np.clip(np.searchsorted(mids, times), 1, len(mids) - 1)
        w = np.clip((times - mids[k - 1]) / (mids[k] - mids[k - 1]), 0.0, 1.0)[:, None, None]
        return np.asarray((1.0 - w) * log_m[k - 1] + w * log_m[k], dtype=np.float64)

    band = np.searchsorted(trend.band_from, np.arange(n_ages), side="right") - 1
    change = at(np.asarray(when, dtype=np.float64)) - at(np.array([reference]))
    result: FloatArray = np.exp(change)[:, :, band]
    return result


def death_rates(table: LifeTable, trend: DeathRateTrend | None, years: IntArray,
                top: int) -> FloatArray:
    """(Y, top+1) both sexes' death rates per person-year for each year from 1 January of
    ``years``: the life table moved by the trend since the table's year."""
    mx = np.broadcast_to(table.mx, (len(years), *table.mx.shape))
    if trend is not None:
        mx = mx * trend_factor(trend, table.sexes, table.mx.shape[1], table.year + MID_YEAR,
                               np.asarray(years, dtype=np.float64) + MID_YEAR)
    return both_sexes(open_age_rates(mx, top), table.sexes)


def annual_survival(rates: FloatArray) -> FloatArray:
    """(..., n) share of residents aged x on 1 January still alive a year later (aged x+1;
    the top age open): exp(−(m_x + m_{x+1}) / 2), and exp(−m_top) at the top age."""
    survival = np.exp(-rates)
    survival[..., :-1] = np.exp(-(rates[..., :-1] + rates[..., 1:]) / 2.0)
    return survival


def survival_by_year(population: Population, start: int, end: int) -> FloatArray:
    """(end − start, n_ages) annual survival for each year from 1 January ``start`` on;
    1 everywhere without a life table."""
    n_ages = population.residents.shape[1]
    table = population.life_table
    if table is None:
        return np.ones((end - start, n_ages))
    years = np.arange(start, end, dtype=np.int64)
    return annual_survival(death_rates(table, population.trend, years, n_ages - 1))


def age_one_year(residents: FloatArray, survival: FloatArray, births: FloatArray) -> FloatArray:
    """(A, n) one year on: every cohort survives and moves up one age, the top age keeps its
    own survivors, and ``births`` (A,) are the new age 0."""
    survivors = residents * survival
    aged = np.empty_like(residents)
    aged[:, 0] = births
    aged[:, 1:] = survivors[:, :-1]
    aged[:, -1] += survivors[:, -1]
    return aged


def run(survival: FloatArray, residents: FloatArray, births: FloatArray) -> FloatArray:
    """(A, n) residents one year on per row of ``survival`` (Y, n), without migration."""
    current = residents
    for year_survival in survival:
        current = age_one_year(current, year_survival, births)
    return current


def scale_to(values: FloatArray, totals: FloatArray) -> FloatArray:
    """(A,) factor that takes each area's sum of ``values`` (A, n) to ``totals``; 1 where the
    area has no residents to scale."""
    sums = values.sum(axis=1)
    factor: FloatArray = np.divide(totals, sums, out=np.ones_like(sums), where=sums > 0)
    return factor


def to_bands(residents: FloatArray, official: OfficialProjection, row: int) -> FloatArray:
    """(A, n) the model's residents with each age band scaled to the official band total of
    ``official.years[row]`` (bands run from age 0 without gaps, the last to the top age); a
    band the model leaves empty is spread evenly over its ages."""
    top = residents.shape[1] - 1
    width = np.minimum(official.band_to, top) - official.band_from + 1
    band_of = np.repeat(np.arange(len(width)), width)  # (n,) band of each single age
    sums = np.add.reduceat(residents, official.band_from, axis=1)[:, band_of]
    even = np.broadcast_to(1.0 / width[band_of], residents.shape)
    share = np.divide(residents, sums, out=even.copy(), where=sums > 0)
    result: FloatArray = share * official.residents[row][:, band_of]
    return result


def part_way(at_year: FloatArray, at_anchor: FloatArray, target: FloatArray,
             years_left: int, share: float) -> FloatArray:
    """(A, n) residents of a year ``share`` of the way from one anchor to the next, which is
    ``years_left`` years on: the no-migration result × (the anchor's correction at the age
    each cohort will then have) ** share — every cohort's residual migration arrives evenly
    (in relative terms) over the interval."""
    top = at_year.shape[1] - 1
    ratio = np.divide(target, at_anchor, out=np.ones_like(at_anchor), where=at_anchor > 0)
    then = np.minimum(np.arange(top + 1) + years_left, top)
    result: FloatArray = at_year * ratio[:, then] ** share
    return result


def anchor_years(population: Population) -> list[int]:
    """Years after the base year with known totals or official bands, ascending."""
    known = set(population.known_totals)
    if population.official is not None:
        known |= {int(y) for y in population.official.years}
    return sorted(y for y in known if y > population.base_year)


def anchored(population: Population, modelled: FloatArray, year: int) -> FloatArray:
    """The model's residents of an anchor year made to meet what is known for it: the
    official bands where the official projection covers the year, else the area totals."""
    official = population.official
    if official is not None and year in official.years:
        return to_bands(modelled, official, int(np.searchsorted(official.years, year)))
    totals = np.asarray(population.known_totals[year], dtype=np.float64)
    if totals.shape != (modelled.shape[0],):
        raise InputError("area_totals", f"year {year}", "residents",
                         f"has shape {totals.shape}, the population {modelled.shape[0]} areas")
    return modelled * scale_to(modelled, totals)[:, None]


def anchor_source(population: Population, year: int) -> str:
    """Where an anchor year's numbers come from: the official projection's name or
    'area_totals'."""
    official = population.official
    if official is not None and year in official.years:
        return official.name
    return AREA_TOTALS


def project_population(population: Population, year: int) -> ProjectedPopulation:
    """Residents by area and single age (A, n_ages) on 1 January ``year`` and their path."""
    base = population.base_year
    if year < base:
        raise InputError("scenario", "year", "year",
                         f"{year} is before the population base year {base}")
    table = population.life_table
    path = PopulationPath(
        PathKind.REGISTER, year, base,
        life_table_year=table.year if table is not None else None,
        trend=population.trend.series if table is not None and population.trend else "",
    )
    current = population.residents.astype(np.float64, copy=True)
    if year == base:
        return ProjectedPopulation(current, path)
    anchors = anchor_years(population)
    end = min((a for a in anchors if a > year), default=year)
    survival = survival_by_year(population, base, end)  # row = year − base year

    def aged(start_pop: FloatArray, births: FloatArray, start: int, stop: int) -> FloatArray:
        return run(survival[start - base : stop - base], start_pop, births)

    start = base
    for anchor in anchors:
        births = current[:, 0].copy()
        source = anchor_source(population, anchor)
        if anchor > year:  # between two anchors: part of the way to the next one
            at_year = aged(current, births, start, year)
            at_anchor = aged(at_year, births, year, anchor)
            target = anchored(population, at_anchor, anchor)
            share = (year - start) / (anchor - start)
            return ProjectedPopulation(
                part_way(at_year, at_anchor, target, anchor - year, share),
                replace(path, kind=PathKind.COHORT, migration_to=anchor, migration_source=source))
        current = anchored(population, aged(current, births, start, anchor), anchor)
        start = anchor
        if anchor == year:
            found = (replace(path, kind=PathKind.COHORT, migration_to=anchor,
                             migration_source=source) if source == AREA_TOTALS
                     else replace(path, kind=PathKind.OFFICIAL, official=source))
            return ProjectedPopulation(current, found)
    result = aged(current, current[:, 0].copy(), start, year)
    last = start if start > base else None
    return ProjectedPopulation(result, replace(path, kind=PathKind.COHORT, last_known=last))
