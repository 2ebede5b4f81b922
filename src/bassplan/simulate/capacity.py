"""Each day's clinic capacity per unit, drawn for the whole year at once: staff present,
ward work taken first, outreach clinics served, overtime allowed.

A team's patient-work minutes on day d are B = (specialists − sick − extra absent +
trainee equivalents × (1 − sickness probability)) × presence(d) × minutes per FTE-day.
Sickness is Binomial over whole specialists (plus one Bernoulli for a fractional FTE).
Ward work W (admissions, bed days, consults: Poisson, same-day work) takes its planned
share ``ward_share`` × B first; what exceeds it comes out of the clinic share, and what
exceeds both is overtime. The clinic minutes go first to the team's outreach units (their
planned minutes × presence, cut pro rata if the team is short) and the rest to its home
unit. Overtime for acute patients is ``overtime_cap`` × B less the day's ward overtime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.simulate.model import SimulationInput
from bassplan.simulate.sampling import Streams, poisson_quantile

_EPS = 1e-9


@dataclass(frozen=True)
class DailyCapacity:
    """Capacities per simulated day (D rows), in specialist minutes."""

    clinic: FloatArray  # (D, U) normal clinic minutes per unit
    overtime: FloatArray  # (D, U) overtime minutes a unit may use for acute patients
    budget: FloatArray  # (D, T) team patient-work minutes
    ward_overtime: FloatArray  # (D, T) ward work beyond the ward and clinic shares
    ward_items: IntArray  # (D, T, 4) admissions, bed days, consults on site, video


def team_budget(inp: SimulationInput, streams: Streams) -> FloatArray:
    """(D, T) patient-work minutes each team has on each day after absences."""
    n_days, n_teams = inp.day.size, inp.n_teams
    heads = inp.specialists
    whole = np.floor(heads + _EPS)
    fraction = np.maximum(heads - whole, 0.0)
    slots = int(whole.max(initial=0.0))
    # one uniform per (specialist slot, day, team), slot-major so that adding specialists
    # keeps every earlier draw
    uniform = streams.sickness.random((slots, n_days, n_teams))
    employed = np.arange(slots)[:, None, None] < whole[None, None, :]
    sick = ((uniform < inp.sick_prob) & employed).sum(axis=0).astype(np.float64)
    sick += fraction * (streams.sickness_fraction.random((n_days, n_teams)) < inp.sick_prob)
    away = inp.extra_absent[None, :] * inp.extra_absence[:, None]
    present = np.maximum(heads[None, :] - sick - away, 0.0)
    trainees = inp.trainees[None, :] * (1.0 - inp.sick_prob)
    budget: FloatArray = ((present + trainees) * inp.presence[:, None]
                          * inp.minutes_per_fte_day[None, :])
    return budget


def daily_capacity(inp: SimulationInput, streams: Streams) -> DailyCapacity:
    """Draw the year's absences and ward work and turn them into unit capacities."""
    n_days, n_teams = inp.day.size, inp.n_teams
    budget = team_budget(inp, streams)
    mean = inp.ward_per_day[None, :, :] * inp.ward_factor[:, None, None]
    items = poisson_quantile(streams.ward.random((n_days, n_teams, 4)), mean)
    ward = (items * inp.ward_minutes[None, :, :]).sum(axis=-1)

    ward_planned = inp.ward_share[None, :] * budget
    clinic_planned = inp.clinic_share[None, :] * budget
    excess = np.maximum(ward - ward_planned, 0.0)
    clinic_team = np.maximum(clinic_planned - excess, 0.0)
    ward_overtime = np.maximum(excess - clinic_planned, 0.0)
    pool = np.maximum(inp.overtime_cap * budget - ward_overtime, 0.0)

    team = inp.unit_team
    home = inp.outreach_minutes <= 0
    outreach = inp.outreach_minutes[None, :] * inp.presence[:, None]  # (D, U) planned
    membership = np.zeros((team.size, n_teams))
    membership[np.arange(team.size), team] = 1.0
    planned = outreach @ membership  # (D, T) planned outreach minutes per team
    scale = np.minimum(np.divide(clinic_team, planned, out=np.ones_like(planned),
                                 where=planned > 0), 1.0)
    homes = np.bincount(team[home], minlength=n_teams).astype(np.float64)
    left = np.maximum(clinic_team - planned, 0.0) / np.maximum(homes, 1.0)
    clinic = np.where(home[None, :], left[:, team], outreach * scale[:, team])
    return DailyCapacity(
        clinic=clinic,
        overtime=pool[:, team] * inp.overtime_share[None, :],
        budget=budget,
        ward_overtime=ward_overtime,
        ward_items=items,
    )
