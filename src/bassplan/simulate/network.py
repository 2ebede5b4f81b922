"""A hand-described clinic network as simulation input: fixed daily capacity, every day a
working day, no seasons, absences or ward work — for checks against queueing theory and
other simulators, and for what-if sketches outside an evaluation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.vocabulary import FloatArray
from bassplan.simulate.model import SimulationInput, class_layout
from bassplan.simulate.settings import SETTINGS_SOURCE, SimulationSettings


def _per_unit(values: Sequence[float] | FloatArray | float, n: int, name: str) -> FloatArray:
    array = np.broadcast_to(np.asarray(values, dtype=np.float64), (n,)).copy()
    if (array < 0).any() or not np.isfinite(array).all():
        raise InputError("clinic network", "", name, "values must be finite and ≥ 0")
    return array


def clinic_network(
    referrals_per_day: Sequence[float] | FloatArray,
    capacity_minutes: Sequence[float] | FloatArray,
    settings: SimulationSettings,
    *,
    follow_ups_due_per_day: Sequence[float] | FloatArray | float = 0.0,
    continue_prob: Sequence[float] | FloatArray | float = 0.0,
    avoid_prob: Sequence[float] | FloatArray | float = 0.0,
    minutes_first: Sequence[float] | FloatArray | float = 1.0,
    minutes_follow_up: Sequence[float] | FloatArray | float = 1.0,
) -> SimulationInput:
    """U independent clinics ('clinic0', 'clinic1', …, one specialty and one team each)
    with Poisson referrals (mean per day), ``capacity_minutes`` per day and follow-ups as
    in ``SimulationInput``; classes, targets, days, warm-up and overtime from ``settings``
    (overtime: ``overtime_cap`` × the day's capacity for acute patients)."""
    referrals = np.asarray(referrals_per_day, dtype=np.float64)
    n = referrals.size
    capacity = _per_unit(capacity_minutes, n, "capacity_minutes")
    share = {name: _per_unit(value, n, name) for name, value in (
        ("continue_prob", continue_prob), ("avoid_prob", avoid_prob))}
    if any((v > 1).any() for v in share.values()):
        raise InputError("clinic network", "", "continue_prob", "probabilities must lie in 0..1")
    minutes = {name: _per_unit(value, n, name) for name, value in (
        ("minutes_first", minutes_first), ("minutes_follow_up", minutes_follow_up))}
    if any((v <= 0).any() for v in minutes.values()):
        raise InputError(SETTINGS_SOURCE, "", "minutes_first", "minutes per visit must be > 0")
    day = np.arange(-settings.warmup_days, settings.days, dtype=np.int64)
    ones, units = np.ones(day.size), np.arange(n, dtype=np.int64)
    referral_share, follow_up_class, acute_class = class_layout(settings)
    return SimulationInput(
        specialty_ids=tuple(f"clinic{u}" for u in range(n)),
        site_ids=tuple(f"site{u}" for u in range(n)),
        classes=settings.classes,
        class_targets=np.array(settings.class_targets, dtype=np.int64),
        referral_share=referral_share,
        follow_up_class=follow_up_class,
        acute_class=acute_class,
        days=settings.days,
        day=day,
        counted=day >= 0,
        referral_factor=ones,
        ward_factor=ones,
        presence=ones,
        extra_absence=np.zeros(day.size, dtype=bool),
        unit_specialty=units,
        unit_site=units,
        unit_team=units,
        referrals_per_day=_per_unit(referrals, n, "referrals_per_day"),
        follow_ups_due_per_day=_per_unit(follow_ups_due_per_day, n, "follow_ups_due_per_day"),
        continue_prob=share["continue_prob"],
        avoid_prob=share["avoid_prob"],
        minutes_first=minutes["minutes_first"],
        minutes_follow_up=minutes["minutes_follow_up"],
        outreach_minutes=np.zeros(n),
        overtime_share=np.ones(n),
        km_per_visit=np.zeros((n, 2)),
        team_specialty=units,
        team_site=units,
        specialists=np.ones(n),
        trainees=np.zeros(n),
        extra_absent=np.zeros(n),
        ward_share=np.zeros(n),
        clinic_share=np.ones(n),
        ward_per_day=np.zeros((n, 4)),
        ward_minutes=np.zeros((n, 4)),
        ward_km_saved=np.zeros((n, 4)),
        minutes_per_fte_day=capacity,
        sick_prob=0.0,
        overtime_cap=settings.overtime_cap,
        interval_days=settings.follow_up_interval_days,
        max_wait_days=settings.max_wait_days,
    )
