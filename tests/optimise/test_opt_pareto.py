"""The Pareto front between patient and staff travel: non-dominated points, ordered, and
ending in the two single-criterion optima (checked by enumeration where it is small)."""

from __future__ import annotations

from itertools import combinations

import pytest

from bassplan.domain.errors import InputError
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import build_request, optimise, pareto_front
from bassplan.optimise.pareto import ParetoPoint
from tests.support.opt_oracle import oracle
from tests.support.opt_regions import random_region


def _scenario(**settings: object) -> Scenario:
    return Scenario(name="pareto", year=2021, digital_share={"default": {"consult": 0.3}},
                    optimisation=OptimisationSettings.model_validate(settings))


def _weighted(scenario: Scenario, weights: dict[str, float]) -> Scenario:
    assert scenario.optimisation is not None
    settings = OptimisationSettings.model_validate(
        {**scenario.optimisation.model_dump(), "weights": weights})
    return scenario.model_copy(update={"optimisation": settings})


def _non_dominated(points: list[ParetoPoint]) -> None:
    for p, q in combinations(points, 2):
        assert not (p.patient_hours <= q.patient_hours and p.staff_hours <= q.staff_hours)
        assert not (q.patient_hours <= p.patient_hours and q.staff_hours <= p.staff_hours)


def test_front_with_outreach_is_ordered_and_ends_in_the_extremes() -> None:
    region = random_region(0, 1, n_areas=12, n_sites=5, scale=3.0)
    # one strength position: both organisations' specialists move to it
    scenario = _scenario(max_outreach_days=3, max_strength_positions=1,
                         allow_cross_organisation=True)
    points = pareto_front(region, scenario, None, 7)
    assert len(points) >= 5
    _non_dominated(points)
    patient = [p.patient_hours for p in points]
    staff = [p.staff_hours for p in points]
    assert patient == sorted(patient)
    assert staff == sorted(staff, reverse=True)

    def least(weights: dict[str, float]) -> float:
        plan = optimise(region, _weighted(scenario, weights))
        return plan.patient_hours if weights["patient_hours"] else plan.staff_hours

    assert patient[0] == pytest.approx(least({"patient_hours": 1, "staff_hours": 0}),
                                       rel=1e-6)
    assert staff[-1] == pytest.approx(least({"patient_hours": 0, "staff_hours": 1}),
                                      rel=1e-6, abs=1e-6)
    for p in points:
        assert p.share_within == p.plan.specialties[0].access_share
        assert p.mean_minutes == p.plan.specialties[0].mean_minutes


def test_extremes_match_enumeration_without_outreach() -> None:
    region = random_region(5, 1, n_areas=15, n_sites=6, scale=3.0)
    scenario = _scenario(max_outreach_days=0, max_strength_positions=2)
    points = pareto_front(region, scenario, None, 4)
    assert len(points) == 2
    _non_dominated(points)

    def enumerated(weights: dict[str, float]) -> float:
        return oracle(build_request(region, _weighted(scenario, weights)), 0)

    assert points[0].patient_hours == pytest.approx(
        enumerated({"patient_hours": 1, "staff_hours": 0}), rel=1e-6)
    assert points[-1].staff_hours == pytest.approx(
        enumerated({"patient_hours": 0, "staff_hours": 1}), rel=1e-6, abs=1e-6)


def test_front_needs_two_points() -> None:
    with pytest.raises(InputError, match="at least 2 points"):
        pareto_front(random_region(0), _scenario(), None, 1)
