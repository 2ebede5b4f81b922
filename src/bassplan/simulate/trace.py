"""The engine's raw record of one simulated year, before it is reduced per specialty."""

from __future__ import annotations

from dataclasses import dataclass

from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.simulate.capacity import DailyCapacity


@dataclass(frozen=True)
class YearTrace:
    """Everything one replication recorded over the simulated year (warm-up left out).

    Waits are those of the year's cohort: patients who joined a queue during the year
    (referred, or a follow-up falling due), seen in the year or still waiting at its end;
    visits, PRO answers, overtime and km count what happened during the year.
    """

    served_by_wait: IntArray  # (U, K, L) the cohort's patients seen, by wait (working days)
    waiting_at_end: IntArray  # (U, K, L) the cohort still waiting, by time waited so far
    backlog: IntArray  # (D, U) patients waiting at the end of each simulated day
    joined: IntArray  # (U, K) patients who joined each queue
    visits: IntArray  # (U, 2) first visits and follow-up visits done
    avoided: IntArray  # (U,) follow-ups answered by PRO without a visit
    acute_overtime_minutes: FloatArray  # (U,)
    ward_overtime_minutes: FloatArray  # (T,)
    patient_km_saved: FloatArray  # (U,)
    staff_km_saved: FloatArray  # (T,)
    capacity: DailyCapacity
