"""The plain p-median special case of the MILP equals PySAL spopt's PMedian.

No outreach, only the patient-hours weight, exactly p strength positions, ample pools and
an unlimited consult reach: the optimiser then minimises Σ_a w_a·minutes(a, nearest open
site) with w_a = in-person visits × 2 / 60, spopt's p-median on the same cost and weights.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pulp
import pytest
from spopt.locate import PMedian

from bassplan.data import load_region
from bassplan.domain.region import Region, Staffing
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import build_request, optimise
from bassplan.pmedian.solve import solve_pmedian
from tests.support.opt_regions import random_region


def _ample(region: Region) -> Region:
    """Every site staffed well beyond a small minimum team."""
    n_specialties, n_sites = len(region.specialties), len(region.sites)
    fte = np.full((n_specialties, n_sites), 40.0)
    staffing = Staffing(fte, fte * 0.0, fte * 0.0, fte * 0.0)
    specialties = tuple(replace(s, min_team_fte=1.0) for s in region.specialties)
    return replace(region, staffing=staffing, specialties=specialties)


def _spopt_objective(cost: np.ndarray, weights: np.ndarray, p: int) -> float:
    with warnings.catch_warnings():
        # PuLP 3 announces its 4.0 API change whenever spopt builds a variable
        warnings.filterwarnings("ignore", message=".*PuLP 4.0.*", category=DeprecationWarning)
        model = PMedian.from_cost_matrix(cost, weights, p_facilities=p)
        model = model.solve(pulp.HiGHS(msg=False))
    return float(model.problem.objective.value())


@pytest.mark.parametrize(("seed", "n_areas", "n_sites", "p"),
                         [(1, 12, 5, 2), (2, 30, 8, 3), (3, 40, 10, 4), (4, 25, 6, 1)])
def test_p_median_special_case_equals_spopt(seed: int, n_areas: int, n_sites: int,
                                            p: int) -> None:
    region = _ample(random_region(seed, 1, n_areas=n_areas, n_sites=n_sites))
    scenario = Scenario(
        name="p-median", year=2021, consult_reach_minutes=10_000,
        optimisation=OptimisationSettings(
            # every site eligible and one staff pool, as spopt has no sites or staff
            eligible_sites={"default": [s.id for s in region.sites]},
            allow_cross_organisation=True,
            max_outreach_days=0, min_strength_positions=p, max_strength_positions=p,
            weights={"patient_hours": 1.0, "staff_hours": 0.0, "cost_dkk": 0.0}),
    )
    req = build_request(region, scenario)
    assert req.candidates[0].all()  # every site may be chosen, as in spopt
    admissions_hours = float((req.admissions[0] * req.admit_minutes).sum() * 2.0 / 60.0)
    plan = optimise(region, scenario)
    expected = _spopt_objective(req.minutes, req.in_person[0] * 2.0 / 60.0, p)

    assert plan.status == "optimal"
    assert len(plan.specialties[0].strength_positions) == p
    # bassplan's own p-median engine agrees with both (a second, independent formulation)
    engine = solve_pmedian(req.minutes, req.in_person[0] * 2.0 / 60.0, p)
    assert engine.objective == pytest.approx(expected, rel=1e-6)
    assert plan.patient_hours - admissions_hours == pytest.approx(expected, rel=1e-6)
    assert plan.objective - admissions_hours == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("p", [2, 4])
def test_pure_access_on_oestdanmark_equals_the_p_median_engine(p: int) -> None:
    # Region Østdanmark as bundled (46 municipalities, Bornholm by ferry): with access as
    # the only cost the optimiser's strength positions are the p-median engine's
    region = load_region("oestdanmark")
    scenario = Scenario(
        name="rent adgang", year=2027, consult_reach_minutes=10_000,
        optimisation=OptimisationSettings(
            allow_cross_organisation=True, max_outreach_days=0,
            min_strength_positions=p, max_strength_positions=p,
            weights={"patient_hours": 1.0, "staff_hours": 0.0, "cost_dkk": 0.0}),
    )
    req = build_request(region, scenario, ["kardiologi"])
    cand = np.flatnonzero(req.candidates[0])
    weights = req.in_person[0] * 2.0 / 60.0
    engine = solve_pmedian(req.minutes[:, cand], weights, p)
    plan = optimise(region, scenario, ["kardiologi"])
    admissions_hours = float((req.admissions[0] * req.admit_minutes).sum() * 2.0 / 60.0)

    assert engine.status == plan.status == "optimal"
    assert plan.patient_hours - admissions_hours == pytest.approx(engine.objective, rel=1e-6)
    # the same sites, unless two choices tie exactly
    chosen = {req.site_ids[cand[k]] for k in engine.open_sites}
    ours = set(plan.specialties[0].strength_positions)
    if chosen != ours:
        tied = [j for j, site in enumerate(req.site_ids) if site in ours]
        nearest = req.minutes[:, tied].min(axis=1)
        assert float(weights @ nearest) == pytest.approx(engine.objective, rel=1e-9)
