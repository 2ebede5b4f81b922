"""The simulation's input: everything one replication needs, as plain arrays (picklable,
tens of kB for the bundled region), built from an evaluation and the settings.

Shapes: D simulated working days (warm-up included), U clinic units, T teams, K queue
classes (``classes``, service order), 4 ward kinds (``derive.WARD_KINDS``). Rates are
expected counts per working day before the calendar factors; capacities are specialist
minutes of patient work (after the category allowance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.parameters import MINUTES_PER_HOUR, WORKING_DAYS_PER_WEEK
from bassplan.domain.results import Evaluation
from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray
from bassplan.simulate.calendar import Calendar, build_calendar
from bassplan.simulate.derive import Teams, Units, clinic_teams, clinic_units, site_km_of
from bassplan.simulate.settings import SETTINGS_SOURCE, SimulationSettings

DEFAULT_SETTINGS = SimulationSettings()


@dataclass(frozen=True)
class SimulationInput:
    """One simulated year's inputs (see the module docstring for shapes and units).

    Capacity: a team's patient-work minutes on a day are (specialists present + trainee
    equivalents) × ``presence`` × ``minutes_per_fte_day``; ward work takes its share
    ``ward_share`` first and, on a busy day, eats into the clinic's share
    ``clinic_share``. Outreach units get ``outreach_minutes`` × presence of their team's
    clinic minutes, home units the rest. Follow-ups fall due ``interval_days`` after the
    visit or PRO answer before; each due one continues with ``continue_prob`` and is
    answered by PRO without a visit with ``avoid_prob``.
    """

    specialty_ids: tuple[str, ...]
    site_ids: tuple[str, ...]
    classes: tuple[str, ...]  # (K,) in service order
    class_targets: IntArray  # (K,) waiting targets, working days
    referral_share: FloatArray  # (K,) share of referrals per class (0 for follow-ups)
    follow_up_class: int
    acute_class: int  # the class that may use overtime
    days: int  # calendar days of the simulated year
    # calendar, (D,)
    day: IntArray
    counted: BoolArray
    referral_factor: FloatArray
    ward_factor: FloatArray
    presence: FloatArray
    extra_absence: BoolArray
    # units, (U,)
    unit_specialty: IntArray
    unit_site: IntArray
    unit_team: IntArray  # index into the teams
    referrals_per_day: FloatArray
    follow_ups_due_per_day: FloatArray  # scheduled follow-ups (visits and PRO answers)
    continue_prob: FloatArray
    avoid_prob: FloatArray
    minutes_first: FloatArray
    minutes_follow_up: FloatArray
    outreach_minutes: FloatArray  # per working day at full presence; 0 at home units
    overtime_share: FloatArray  # share of its team's overtime the unit may use
    km_per_visit: FloatArray  # (U, 2) patient km saved per first / follow-up visit
    # teams, (T,)
    team_specialty: IntArray
    team_site: IntArray
    specialists: FloatArray  # heads (FTE), vacancies included if they are filled
    trainees: FloatArray  # specialist equivalents
    extra_absent: FloatArray  # specialists away on ``extra_absence`` days
    ward_share: FloatArray
    clinic_share: FloatArray
    ward_per_day: FloatArray  # (T, 4)
    ward_minutes: FloatArray  # (T, 4)
    ward_km_saved: FloatArray  # (T, 4) staff km saved per item
    minutes_per_fte_day: FloatArray  # (T,) patient-work minutes of one FTE on a working day
    # scalars
    sick_prob: float
    overtime_cap: float
    interval_days: int
    max_wait_days: int

    @property
    def n_units(self) -> int:
        """Number of clinic units U."""
        return int(self.unit_specialty.size)

    @property
    def n_teams(self) -> int:
        """Number of teams T."""
        return int(self.team_specialty.size)


def class_layout(settings: SimulationSettings) -> tuple[FloatArray, int, int]:
    """(K,) referral shares in service order, the follow-up class and the acute class."""
    shares = list(settings.priority_shares)
    shares.insert(settings.follow_up_rank, 0.0)
    follow_up = settings.follow_up_rank
    acute = 0 if follow_up > 0 else 1
    return np.array(shares), follow_up, acute


def _extra_absent(ev: Evaluation, teams: Teams, settings: SimulationSettings) -> FloatArray:
    """(T,) specialists away at each team during the extra-absence period."""
    if not settings.extra_absent_teams:
        return np.full(teams.specialty.size, float(settings.extra_absent_specialists))
    names = [f"{ev.region.specialties[s].id}:{ev.region.sites[j].id}"
             for s, j in zip(teams.specialty, teams.site, strict=True)]
    chosen = np.zeros(len(names))
    for k, name in enumerate(settings.extra_absent_teams):
        if name not in names:
            raise InputError(SETTINGS_SOURCE, f"extra_absent_teams[{k}]", "team",
                             f"no team '{name}' in this scenario (known: {', '.join(names)})")
        chosen[names.index(name)] = settings.extra_absent_specialists
    return chosen


def _overtime_share(units: Units, unit_team: IntArray, planned_clinic: FloatArray,
                    outreach_per_day: FloatArray) -> FloatArray:
    """(U,) share of its team's overtime a unit may use: outreach units their planned share
    of the team's clinic minutes, the home unit the rest."""
    team_minutes = planned_clinic[unit_team]
    outreach = np.minimum(np.divide(outreach_per_day, team_minutes,
                                    out=np.zeros_like(outreach_per_day),
                                    where=team_minutes > 0), 1.0)
    taken = np.bincount(unit_team, weights=outreach, minlength=planned_clinic.size)
    home = units.outreach_minutes == 0
    result: FloatArray = np.where(home, np.maximum(1.0 - taken[unit_team], 0.0), outreach)
    return result


def build_input(ev: Evaluation, settings: SimulationSettings, calendar: Calendar,
                units: Units, teams: Teams) -> SimulationInput:
    """Turn yearly units and teams into daily rates and capacities on ``calendar``."""
    params = ev.region.parameters
    per_year = float(calendar.working_days_per_year)
    team_index = {(int(s), int(j)): t for t, (s, j) in
                  enumerate(zip(teams.specialty, teams.site, strict=True))}
    unit_team = np.array([team_index[(int(s), int(j))] for s, j in
                          zip(units.specialty, units.team_site, strict=True)], dtype=np.int64)
    allowance = params.category_allowance
    day_minutes = (params.hours_per_week / WORKING_DAYS_PER_WEEK
                   * MINUTES_PER_HOUR * (1.0 - allowance))
    specialists = teams.specialists + (0.0 if settings.unfilled_vacancies else teams.vacant)
    presence_per_year = float(calendar.presence[calendar.counted].mean()) * per_year
    outreach_per_day = units.outreach_minutes / presence_per_year
    planned_clinic = teams.clinic_share * (specialists + teams.trainees) * day_minutes
    first, scheduled = units.first_visits, units.follow_ups_scheduled
    continue_prob = np.divide(scheduled, scheduled + first, out=np.zeros_like(first),
                              where=scheduled + first > 0)
    pro = ev.plan.pro_share * (1.0 - ev.plan.trigger_rate)
    referral_share, follow_up_class, acute_class = class_layout(settings)
    sick_days = params.sick_leave_days
    return SimulationInput(
        specialty_ids=tuple(s.id for s in ev.region.specialties),
        site_ids=tuple(s.id for s in ev.region.sites),
        classes=settings.classes,
        class_targets=np.array(settings.class_targets, dtype=np.int64),
        referral_share=referral_share,
        follow_up_class=follow_up_class,
        acute_class=acute_class,
        days=settings.days,
        day=calendar.day,
        counted=calendar.counted,
        referral_factor=calendar.referral_factor,
        ward_factor=calendar.ward_factor,
        presence=calendar.presence,
        extra_absence=calendar.extra_absence,
        unit_specialty=units.specialty,
        unit_site=units.site,
        unit_team=unit_team,
        referrals_per_day=first / per_year,
        follow_ups_due_per_day=scheduled / per_year,
        continue_prob=continue_prob,
        avoid_prob=pro[units.specialty],
        minutes_first=units.minutes_first,
        minutes_follow_up=units.minutes_follow_up,
        outreach_minutes=outreach_per_day,
        overtime_share=_overtime_share(units, unit_team, planned_clinic, outreach_per_day),
        km_per_visit=np.stack([units.km_first, units.km_follow_up], axis=-1),
        team_specialty=teams.specialty,
        team_site=teams.site,
        specialists=specialists,
        trainees=teams.trainees,
        extra_absent=_extra_absent(ev, teams, settings),
        ward_share=teams.ward_share,
        clinic_share=teams.clinic_share,
        ward_per_day=teams.ward_per_year / per_year,
        ward_minutes=teams.ward_minutes,
        ward_km_saved=teams.ward_km_saved,
        minutes_per_fte_day=np.full(teams.specialty.size, day_minutes),
        sick_prob=min(sick_days / per_year, 1.0),
        overtime_cap=settings.overtime_cap,
        interval_days=settings.follow_up_interval_days,
        max_wait_days=settings.max_wait_days,
    )


def simulation_input(
    evaluation: Evaluation, settings: SimulationSettings = DEFAULT_SETTINGS
) -> SimulationInput:
    """The simulation input for one evaluated scenario under ``settings``."""
    params = evaluation.region.parameters
    calendar = build_calendar(
        settings,
        holiday_days=params.holiday_weeks * WORKING_DAYS_PER_WEEK,
        cpd_days=params.cpd_days,
    )
    site_km = site_km_of(evaluation)
    units = clinic_units(evaluation, site_km)
    teams = clinic_teams(evaluation, units, site_km)
    return build_input(evaluation, settings, calendar, units, teams)
