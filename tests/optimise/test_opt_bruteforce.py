"""The MILP's optimum equals a brute-force enumeration of the model's definition
(the oracles of tests/optimise/opt_oracle.py) on the toy region and random regions."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bassplan.domain.errors import InfeasiblePlanError
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import build_model, build_request, optimise, solve_model
from bassplan.optimise.request import OptimiseRequest
from tests.support.opt_oracle import oracle, oracle_one_clinic
from tests.support.opt_regions import random_region
from tests.support.toy import toy_region

COVERS = ("rotation", "consults", "none")


def _scenario(seed: int, cover: str = "rotation", **settings: object) -> Scenario:
    rng = np.random.default_rng(1000 + seed)
    video = float(rng.choice([0.0, 0.3]))
    reach = float(settings.pop("consult_reach_minutes", 60.0))  # type: ignore[arg-type]
    return Scenario(
        name=f"brute {seed}",
        year=2023,
        consult_reach_minutes=reach,
        inpatient_cover={"default": cover},  # type: ignore[dict-item]
        digital_share={"default": {"consult": video, "follow_up": 0.1}},
        need_based_follow_up={"default": {"pro_share": 0.2, "trigger_rate": 0.5}},
        optimisation=OptimisationSettings.model_validate(settings),
    )


def _check(req: OptimiseRequest, expected: float) -> None:
    """The MILP's optimum equals ``expected`` (or it is infeasible when that is inf)."""
    model = build_model(req)
    if math.isinf(expected):
        with pytest.raises(InfeasiblePlanError):
            solve_model(model, model.weighted())
        return
    plan = solve_model(model, model.weighted())
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(expected, rel=1e-6)
    w = req.settings.weights
    terms = (w.patient_hours * plan.patient_hours + w.staff_hours * plan.staff_hours
             + w.cost_dkk * plan.cost_dkk)
    assert terms == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_random_regions_without_outreach_match_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_specialties = 1 + seed % 2
    region = random_region(seed, n_specialties, scale=40.0 if seed < 3 else 1.0)
    cover = COVERS[seed % 3]
    scenario = _scenario(
        seed, cover, max_outreach_days=0, min_strength_positions=1,
        max_strength_positions=3 if cover == "none" else int(rng.choice([2, 3])),
        allow_cross_organisation=bool(seed % 4 == 1),
        cost_per_moved_fte_dkk=float(rng.choice([0.0, 2e5])),
        # a cap binds the specialties together: only where one is optimised
        max_moved_fte=({"default": float(rng.choice([1.0, 4.0]))} if n_specialties == 1
                       else {}),
        access_share=float(rng.choice([0.0, 0.5])), access_minutes=30.0,
        consult_reach_minutes=float(rng.choice([40.0, 60.0])),
        weights={"patient_hours": 1.0, "staff_hours": float(rng.choice([0.5, 2.0])),
                 "cost_dkk": 1e-4 if seed < 3 else 0.0},
    )
    req = build_request(region, scenario)
    expected = sum(oracle(req, s) for s in range(n_specialties))
    _check(req, expected)


@pytest.mark.parametrize("seed", range(8))
def test_random_regions_with_one_outreach_candidate_match_enumeration(seed: int) -> None:
    rng = np.random.default_rng(50 + seed)
    region = random_region(seed + 20, 1)
    scenario = _scenario(
        seed, COVERS[seed % 2], max_outreach_days=float(rng.choice([1.0, 2.5])),
        min_strength_positions=1,
        max_strength_positions=2, access_share=float(rng.choice([0.0, 0.6])),
        access_minutes=25.0, consult_reach_minutes=60.0,
        weights={"patient_hours": 1.0, "staff_hours": float(rng.choice([0.2, 1.0]))},
    )
    req = build_request(region, scenario)
    clinic = int(seed % 4)
    only = np.zeros_like(req.outreach_sites)
    only[:, clinic] = True
    req = replace(req, outreach_sites=only)
    _check(req, oracle_one_clinic(req, 0, clinic))


def test_toy_region_matches_enumeration() -> None:
    # toy: s0 and s1 lie 70 and 80 min apart, beyond the 100-min reach only with video
    region = toy_region()
    scenario = Scenario(
        name="toy", year=2021, digital_share={"kardiologi": {"consult": 0.5}},
        consult_reach_minutes=75,
        optimisation=OptimisationSettings(max_outreach_days=0,
                                          weights={"patient_hours": 1, "staff_hours": 3,
                                                   "cost_dkk": 1e-4}),
    )
    req = build_request(region, scenario)
    _check(req, oracle(req, 0))
    plan = optimise(region, scenario)
    assert plan.objective == pytest.approx(oracle(req, 0), rel=1e-6)
