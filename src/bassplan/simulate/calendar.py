"""The simulated calendar: which days are working days, and the daily factors for
referrals, ward work and staff presence on each of them.

Only working days (Monday–Friday, not public holidays) are simulated; weekend and
holiday work is the on-call rota's and not modelled. Factors are normalised over one
reference year (day-of-year 0..364) so that yearly totals equal the evaluation's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray
from bassplan.simulate.settings import DAYS_PER_YEAR, SETTINGS_SOURCE, SimulationSettings

WEEKDAYS = 5


@dataclass(frozen=True)
class Calendar:
    """Per simulated working day (D,): its calendar day (negative in the warm-up), whether
    it counts, and the factors that scale referrals, ward work and staff presence."""

    day: IntArray  # (D,) calendar day, 0 = 1 January of the simulated year
    counted: BoolArray  # (D,) inside the simulated year (not warm-up)
    referral_factor: FloatArray  # (D,) weekday × season × surge, mean 1 over a year
    ward_factor: FloatArray  # (D,) season × surge, mean 1 over a year
    presence: FloatArray  # (D,) share of a team's staff not on holiday or CPD
    extra_absence: BoolArray  # (D,) inside the extra-absence period
    working_days_per_year: int  # working days in one reference year


def in_window(day_of_year: IntArray, window: tuple[int, int]) -> BoolArray:
    """Whether each day-of-year lies in [start, stop); a window with start > stop wraps
    the year end (e.g. (334, 59) is December to February)."""
    start, stop = window
    if start <= stop:
        inside: BoolArray = (day_of_year >= start) & (day_of_year < stop)
    else:
        inside = (day_of_year >= start) | (day_of_year < stop)
    return inside


def is_working_day(day: IntArray, settings: SimulationSettings) -> BoolArray:
    """Whether each calendar day is Monday–Friday and not a public holiday."""
    weekday = (settings.first_weekday + day) % 7
    holiday = np.isin(day % DAYS_PER_YEAR, np.array(settings.public_holidays, dtype=np.int64))
    working: BoolArray = (weekday < WEEKDAYS) & ~holiday
    return working


def _season(day: IntArray, settings: SimulationSettings) -> FloatArray:
    phase = 2.0 * np.pi * (day % DAYS_PER_YEAR - settings.seasonal_peak_day) / DAYS_PER_YEAR
    factor: FloatArray = 1.0 + settings.seasonal_amplitude * np.cos(phase)
    return factor


def _holiday_share(
    day: IntArray, ref: IntArray, holiday_days: float, settings: SimulationSettings
) -> FloatArray:
    """Share of a team on holiday on each day: ``holiday_days`` per specialist a year,
    split over the summer window, the Christmas window and the rest of the year."""
    ref_doy = ref % DAYS_PER_YEAR
    doy = day % DAYS_PER_YEAR
    summer_ref = in_window(ref_doy, settings.summer_days)
    christmas_ref = in_window(ref_doy, settings.christmas_days) & ~summer_ref
    rest_ref = ~summer_ref & ~christmas_ref
    summer = in_window(doy, settings.summer_days)
    christmas = in_window(doy, settings.christmas_days) & ~summer
    rest_share = 1.0 - settings.holiday_summer_share - settings.holiday_christmas_share
    share = np.zeros(day.shape)
    for mask, ref_mask, part in (
        (summer, summer_ref, settings.holiday_summer_share),
        (christmas, christmas_ref, settings.holiday_christmas_share),
        (~summer & ~christmas, rest_ref, rest_share),
    ):
        n = int(ref_mask.sum())
        if part > 0 and n == 0:
            raise InputError(SETTINGS_SOURCE, "", "summer_days",
                             "a holiday window holds no working day")
        share[mask] = holiday_days * part / max(n, 1)
    return share


def build_calendar(
    settings: SimulationSettings, holiday_days: float, cpd_days: float
) -> Calendar:
    """The simulated working days and their factors; ``holiday_days`` and ``cpd_days`` are
    days away per specialist a year (from the region's parameters)."""
    all_days = np.arange(-settings.warmup_days, settings.days, dtype=np.int64)
    day = all_days[is_working_day(all_days, settings)]
    ref_all = np.arange(DAYS_PER_YEAR, dtype=np.int64)
    ref = ref_all[is_working_day(ref_all, settings)]
    n_ref = int(ref.size)
    if n_ref == 0:
        raise InputError(SETTINGS_SOURCE, "", "public_holidays", "the year has no working day")

    weekday = np.array(settings.weekday_pattern)
    referral = weekday[(settings.first_weekday + day) % 7] * _season(day, settings)
    referral_ref = weekday[(settings.first_weekday + ref) % 7] * _season(ref, settings)
    ward = _season(day, settings) / _season(ref, settings).mean()
    surge = np.where(in_window(day % DAYS_PER_YEAR, settings.winter_days),
                     settings.winter_surge, 1.0)

    presence = 1.0 - _holiday_share(day, ref, holiday_days, settings) - cpd_days / n_ref
    if presence.min(initial=1.0) < 0.05:
        raise InputError(SETTINGS_SOURCE, "", "holiday_summer_share",
                         "holidays and CPD leave fewer than 5 % of staff on some day")
    start, stop = settings.extra_absent_period
    return Calendar(
        day=day,
        counted=day >= 0,
        referral_factor=referral / referral_ref.mean() * surge,
        ward_factor=ward * surge,
        presence=presence,
        extra_absence=(day >= start) & (day < stop),
        working_days_per_year=n_ref,
    )
