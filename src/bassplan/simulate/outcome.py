"""What one replication reports: a small, picklable record per specialty, reduced from
the engine's trace.

Waiting times are in working days, over the patients who joined a queue during the year
(referred, or a follow-up falling due — patients left from the warm-up are not in it);
those still waiting when the year ends count with the time waited so far (a lower
bound), so that a clinic that falls behind is not flattered by leaving its longest waits
out. Quantiles are the smallest whole number of days within which that share of patients
were seen or had been waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.simulate.model import SimulationInput
from bassplan.simulate.trace import YearTrace

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class ReplicationResult:
    """One simulated year, per specialty (S) and queue class (K, ``classes``).

    ``backlog`` (days,) is the number of patients waiting (all specialties and classes) at
    the end of each calendar day (the last working day's count on weekends);
    ``backlog_by_specialty`` (S, weeks) the same per specialty at the end of each week
    (calendar days 6, 13, …, and the year's last day). Visits are done visits; ``demand``
    counts referrals and follow-up visits needed that joined a queue in the year.
    """

    replication: int
    specialty_ids: tuple[str, ...]
    classes: tuple[str, ...]
    wait_mean_days: FloatArray  # (S, K) nan where a class had no patients
    wait_p50_days: FloatArray  # (S, K)
    wait_p90_days: FloatArray  # (S, K)
    share_beyond_target: FloatArray  # (S, K) share of patients waiting longer than target
    backlog: FloatArray  # (days,)
    backlog_by_specialty: FloatArray  # (S, weeks)
    overtime_hours: FloatArray  # (S,) ward overtime plus acute clinic overtime
    visits: FloatArray  # (S,) first and follow-up visits done
    first_visits: FloatArray  # (S,)
    demand: FloatArray  # (S,) visits asked for: referrals and follow-up visits needed
    visits_avoided: FloatArray  # (S,) follow-ups answered by PRO without a visit
    waiting_at_end: FloatArray  # (S,) patients still waiting when the year ends
    patient_km_saved: FloatArray  # (S,) by digital visits and outreach (net), round trips
    staff_km_saved: FloatArray  # (S,) by video consults instead of on-site visits


def week_ends(days: int) -> IntArray:
    """Calendar days that end each week of a ``days``-long year (the last one may be
    short)."""
    ends = np.arange(DAYS_PER_WEEK - 1, days, DAYS_PER_WEEK)
    if ends.size == 0 or ends[-1] != days - 1:
        ends = np.append(ends, days - 1)
    result: IntArray = ends.astype(np.int64)
    return result


def wait_quantile(histogram: FloatArray, q: float) -> FloatArray:
    """Smallest wait w with share ≥ q of patients waiting ≤ w, over the last axis of a
    histogram by wait in days; nan where the histogram is empty."""
    total = histogram.sum(axis=-1, keepdims=True)
    share = np.divide(np.cumsum(histogram, axis=-1), total,
                      out=np.zeros(histogram.shape), where=total > 0)
    first = np.argmax(share >= q - 1e-12, axis=-1).astype(np.float64)
    result: FloatArray = np.where(total[..., 0] > 0, first, np.nan)
    return result


def _by_specialty(values: FloatArray | IntArray, index: IntArray, n: int) -> FloatArray:
    """Sum rows of ``values`` (U, ...) into (S, ...) by ``index`` (U,)."""
    values = np.asarray(values, dtype=np.float64)
    summed = np.zeros((n, *values.shape[1:]))
    np.add.at(summed, index, values)
    return summed


def _calendar_backlog(backlog: FloatArray, day: IntArray, days: int) -> FloatArray:
    """(…, days) the backlog of the last simulated working day on or before each calendar
    day of the year (0 before the first one)."""
    last = np.searchsorted(day, np.arange(days), side="right") - 1
    padded = np.concatenate([np.zeros((*backlog.shape[:-1], 1)), backlog], axis=-1)
    result: FloatArray = padded[..., last + 1]
    return result


def replication_result(
    inp: SimulationInput, trace: YearTrace, replication: int
) -> ReplicationResult:
    """Reduce a year's trace to the per-specialty record."""
    n_spec = len(inp.specialty_ids)
    unit_spec = inp.unit_specialty
    histogram = _by_specialty(trace.served_by_wait + trace.waiting_at_end, unit_spec, n_spec)
    waits = np.arange(histogram.shape[-1], dtype=np.float64)
    patients = histogram.sum(axis=-1)
    mean = np.divide((histogram * waits).sum(axis=-1), patients,
                     out=np.full(patients.shape, np.nan), where=patients > 0)
    late = (waits[None, :] > inp.class_targets[:, None])[None, :, :]
    beyond = np.divide((histogram * late).sum(axis=-1), patients,
                       out=np.full(patients.shape, np.nan), where=patients > 0)

    spec_backlog = _by_specialty(trace.backlog.T, unit_spec, n_spec)  # (S, D)
    daily = _calendar_backlog(spec_backlog, inp.day, inp.days)  # (S, days)
    team_spec = inp.team_specialty
    overtime = (_by_specialty(trace.acute_overtime_minutes, unit_spec, n_spec)
                + _by_specialty(trace.ward_overtime_minutes, team_spec, n_spec))
    visits = _by_specialty(trace.visits, unit_spec, n_spec)
    return ReplicationResult(
        replication=replication,
        specialty_ids=inp.specialty_ids,
        classes=inp.classes,
        wait_mean_days=mean,
        wait_p50_days=wait_quantile(histogram, 0.5),
        wait_p90_days=wait_quantile(histogram, 0.9),
        share_beyond_target=beyond,
        backlog=daily.sum(axis=0),
        backlog_by_specialty=daily[:, week_ends(inp.days)],
        overtime_hours=overtime / MINUTES_PER_HOUR,
        visits=visits.sum(axis=1),
        first_visits=visits[:, 0],
        demand=_by_specialty(trace.joined, unit_spec, n_spec).sum(axis=1),
        visits_avoided=_by_specialty(trace.avoided, unit_spec, n_spec),
        waiting_at_end=_by_specialty(trace.waiting_at_end.sum(axis=(1, 2)), unit_spec, n_spec),
        patient_km_saved=_by_specialty(trace.patient_km_saved, unit_spec, n_spec),
        staff_km_saved=_by_specialty(trace.staff_km_saved, team_spec, n_spec),
    )
