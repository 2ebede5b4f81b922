"""A replication's record from a hand-made trace, and bands over replications."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bassplan.domain.errors import InputError
from bassplan.simulate import (
    ReplicationResult,
    SimulationSettings,
    clinic_network,
    summarise,
    summary_records,
)
from bassplan.simulate.capacity import DailyCapacity
from bassplan.simulate.outcome import replication_result, wait_quantile, week_ends
from bassplan.simulate.trace import YearTrace

RNG = np.random.default_rng(3)


def test_wait_quantile_is_the_inverted_cdf() -> None:
    for _ in range(100):
        histogram = RNG.integers(0, 5, 12).astype(float)
        if histogram.sum() == 0:
            continue
        samples = np.repeat(np.arange(12), histogram.astype(int))
        for q in (0.5, 0.9):
            assert wait_quantile(histogram, q) == np.quantile(samples, q, method="inverted_cdf")
    assert np.isnan(wait_quantile(np.zeros(5), 0.5))


def test_week_ends() -> None:
    assert list(week_ends(365)[:3]) == [6, 13, 20]
    assert week_ends(365)[-1] == 364 and week_ends(365).size == 53
    assert list(week_ends(14)) == [6, 13]
    assert list(week_ends(3)) == [2]


def hand_trace() -> tuple[object, YearTrace]:
    # two clinics (two specialties), classes acute, urgent, follow_up, routine; 10 days
    settings = SimulationSettings(days=10, warmup_days=0, max_wait_days=6)
    inp = clinic_network([1.0, 1.0], [1.0, 1.0], settings)
    inp = dataclasses.replace(inp, day=np.array([0, 1, 2, 3, 4, 7, 8, 9]),
                              counted=np.ones(8, dtype=bool))
    served = np.zeros((2, 4, 6), dtype=np.int64)
    served[0, 3] = [2, 0, 0, 1, 0, 0]  # routine waits 0, 0, 3 (target 30)
    served[0, 0] = [1, 1, 0, 4, 0, 0]  # acute waits 0, 1, 3, 3, 3, 3 (target 2)
    waiting = np.zeros_like(served)
    waiting[0, 3, 5] = 1  # one routine patient still waiting after 5 days
    backlog = np.array([[1, 0], [2, 0], [3, 1], [4, 1], [5, 1], [6, 2], [7, 2], [8, 2]])
    capacity = DailyCapacity(np.zeros((8, 2)), np.zeros((8, 2)), np.zeros((8, 2)),
                             np.zeros((8, 2)), np.zeros((8, 2, 4), dtype=np.int64))
    trace = YearTrace(
        served_by_wait=served, waiting_at_end=waiting, backlog=backlog,
        joined=np.array([[6, 0, 0, 4], [0, 0, 0, 0]]), visits=np.array([[9, 0], [0, 0]]),
        avoided=np.array([3, 0]), acute_overtime_minutes=np.array([90.0, 0.0]),
        ward_overtime_minutes=np.array([30.0, 60.0]), patient_km_saved=np.array([5.0, 0.0]),
        staff_km_saved=np.array([0.0, 7.0]), capacity=capacity,
    )
    return inp, trace


def test_replication_result_from_a_hand_trace() -> None:
    inp, trace = hand_trace()
    result = replication_result(inp, trace, 4)  # type: ignore[arg-type]
    acute, routine = 0, 3
    assert result.wait_mean_days[0, acute] == pytest.approx((0 + 1 + 4 * 3) / 6)
    assert result.wait_mean_days[0, routine] == pytest.approx((0 + 0 + 3 + 5) / 4)
    assert np.isnan(result.wait_mean_days[1]).all()
    assert result.wait_p50_days[0, acute] == 3 and result.wait_p90_days[0, routine] == 5
    assert result.share_beyond_target[0, acute] == pytest.approx(4 / 6)  # waits > 2 days
    assert result.share_beyond_target[0, routine] == 0.0
    # calendar days 5 and 6 are a weekend: they keep Friday's (day 4) backlog
    assert result.backlog.tolist() == [1, 2, 4, 5, 6, 6, 6, 8, 9, 10]
    assert result.backlog_by_specialty.tolist() == [[5, 8], [1, 2]]  # end of day 6 and 9
    assert result.overtime_hours.tolist() == [2.0, 1.0]
    assert result.visits.tolist() == [9, 0] and result.first_visits.tolist() == [9, 0]
    assert result.demand.tolist() == [10, 0] and result.visits_avoided.tolist() == [3, 0]
    assert result.waiting_at_end.tolist() == [1, 0]
    assert result.staff_km_saved.tolist() == [0.0, 7.0] and result.replication == 4


def fake(replication: int, visits: list[float], wait: float) -> ReplicationResult:
    inp, trace = hand_trace()
    result = replication_result(inp, trace, replication)  # type: ignore[arg-type]
    waits = result.wait_mean_days.copy()
    waits[0, 0] = wait
    return dataclasses.replace(result, visits=np.array(visits), wait_mean_days=waits)


def test_bands_are_percentiles_over_replications() -> None:
    results = [fake(r, [float(r), 10.0 * r], wait=float(r)) for r in range(21)]
    summary = summarise(results[::-1])  # order does not matter
    assert summary.replications == 21 and summary.specialty_ids == ("clinic0", "clinic1")
    band = summary.metrics["visits"]
    # 21 values 0..20: linear percentiles at 5, 50, 95 % are 1, 10, 19
    assert band.p5.tolist() == [1.0, 10.0] and band.p50.tolist() == [10.0, 100.0]
    assert band.p95.tolist() == [19.0, 190.0]
    wait = summary.metrics["wait_mean_days"]
    assert wait.p50[0, 0] == 10.0 and np.isnan(wait.p50[1]).all()  # nan stays nan
    assert set(summary.metrics) >= {"backlog", "backlog_by_specialty", "overtime_hours",
                                    "share_beyond_target", "patient_km_saved"}


def test_records_are_flat_labelled_rows() -> None:
    summary = summarise([fake(r, [1.0, 2.0], 1.0) for r in range(3)])
    rows = summary_records(summary)
    assert all(set(row) == {"metric", "specialty", "priority", "day", "p5", "p50", "p95"}
               for row in rows)
    waits = [r for r in rows if r["metric"] == "wait_p90_days"]
    assert len(waits) == 2 * 4
    assert {r["priority"] for r in waits} == {"acute", "urgent", "follow_up", "routine"}
    backlog = [r for r in rows if r["metric"] == "backlog"]
    assert [r["day"] for r in backlog] == list(range(10)) and backlog[0]["specialty"] is None
    weekly = [r for r in rows if r["metric"] == "backlog_by_specialty"]
    assert [(r["specialty"], r["day"]) for r in weekly] == [
        ("clinic0", 6), ("clinic0", 9), ("clinic1", 6), ("clinic1", 9)]
    visits = [r for r in rows if r["metric"] == "visits"]
    assert visits == [
        {"metric": "visits", "specialty": "clinic0", "priority": None, "day": None,
         "p5": 1.0, "p50": 1.0, "p95": 1.0},
        {"metric": "visits", "specialty": "clinic1", "priority": None, "day": None,
         "p5": 2.0, "p50": 2.0, "p95": 2.0},
    ]


def test_mismatched_or_missing_results_are_refused() -> None:
    with pytest.raises(InputError, match="at least one"):
        summarise([])
    one = fake(0, [1.0, 2.0], 1.0)
    other = dataclasses.replace(one, replication=1, specialty_ids=("a", "b"))
    with pytest.raises(InputError, match="replication 1"):
        summarise([one, other])
    short = dataclasses.replace(one, replication=2, backlog=np.zeros(3))
    with pytest.raises(InputError, match="backlog"):
        summarise([one, short])
