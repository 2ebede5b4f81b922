"""A plan written as a scenario is scored by ``evaluate`` exactly as the optimiser scored
it: same patient travel hours, same access share (both from the pipeline's arrays), and,
where every consult pair lies within reach, the same staff travel hours."""

from __future__ import annotations

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.region import Region
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.model.equity import share_within_rows
from bassplan.model.evaluate import evaluate
from bassplan.optimise import optimise, plan_to_scenario
from bassplan.optimise.solve import Plan
from tests.support.paths import EXAMPLES


def _same_numbers(region: Region, plan: Plan, scenario: Scenario, staff: bool) -> None:
    evaluation = evaluate(region, scenario)
    for part in plan.specialties:
        s = region.specialty_index(part.specialty)
        alloc = evaluation.allocation
        # every area starts where the plan assigns it
        assert {region.areas[a].code: region.sites[j].id
                for a, j in enumerate(alloc.outpatient_at[s])} == dict(part.assignments)
        kept = np.take_along_axis(alloc.outpatient_share[s], alloc.outpatient_at[s][:, None],
                                  axis=1)
        if not np.allclose(kept, 1.0):
            # the optimiser does not yet hold teams to evaluate's outpatient capacity
            # (issue 13, item 4): evaluate moves what does not fit and says so
            wanted = alloc.outpatient.in_person[:, s, :].sum(axis=1)
            load = wanted @ alloc.outpatient_share[s]
            assert np.all(load <= alloc.outpatient_capacity[s] * (1 + 1e-9) + 1e-6)
            continue
        assert evaluation.transport.patient_hours[s] == pytest.approx(part.patient_hours,
                                                                      rel=1e-12)
        share = share_within_rows(evaluation.access.area_minutes[[s]], evaluation.residents,
                                  plan.access_minutes)[0]
        assert share == part.access_share
        assert evaluation.access.mean_minutes[s] == pytest.approx(part.mean_minutes, rel=1e-12)
        if staff:
            assert evaluation.transport.staff_hours[s].sum() == pytest.approx(part.staff_hours,
                                                                              rel=1e-9)
        team = evaluation.plan.team.specialist_fte[s]
        for site, fte in part.team_fte.items():
            assert team[region.site_index(site)] == pytest.approx(fte, abs=1e-4)
        assert team.sum() == pytest.approx(sum(part.team_fte.values()), abs=1e-3)


def test_toy_plan_round_trip(toy: Region) -> None:
    base = Scenario(
        name="Toy", year=2021, digital_share={"kardiologi": {"consult": 0.5}},
        consult_reach_minutes=100,
        optimisation=OptimisationSettings(max_strength_positions=1, access_minutes=20,
                                          weights={"patient_hours": 1, "staff_hours": 0.1}),
    )
    plan = optimise(toy, base)
    part = plan.specialties[0]
    assert part.outreach  # an outreach clinic at the other site pays off here
    scenario = plan_to_scenario(plan, base, toy)
    assert scenario.name == "Toy — optimeret"
    assert scenario.pool_staff == "none"
    assert scenario.year == 2021
    assert scenario.digital_share == base.digital_share
    assert scenario.optimisation == base.optimisation
    assert scenario.assignments["kardiologi"] == dict(part.assignments)
    _same_numbers(toy, plan, scenario, staff=True)
    # trainees follow the specialists: org1 has 1 trainee FTE per 6 specialist FTE
    evaluation = evaluate(toy, scenario)
    team = evaluation.plan.team
    np.testing.assert_allclose(team.trainee_fte, team.specialist_fte / 6.0, atol=1e-4)


@pytest.fixture(scope="module")
def bundled() -> Region:
    return load_region()


@pytest.mark.parametrize("reach", [60.0, 1000.0])
def test_bundled_plan_round_trip(bundled: Region, reach: float) -> None:
    base = load_scenario(EXAMPLES / "bass_2030.yaml", bundled)
    settings = OptimisationSettings(max_strength_positions=2, access_share=0.6,
                                    allow_cross_organisation=True,
                                    weights={"patient_hours": 1, "staff_hours": 1,
                                             "cost_dkk": 1e-4})
    base = base.model_copy(update={"optimisation": settings, "consult_reach_minutes": reach})
    plan = optimise(bundled, base, ["kardiologi", "geriatri"])
    scenario = plan_to_scenario(plan, base, bundled)
    # beyond the consult reach both the optimiser and evaluate count video only
    _same_numbers(bundled, plan, scenario, staff=True)

    # specialties left out keep the base's teams and numbers
    before, after = evaluate(bundled, base), evaluate(bundled, scenario)
    s = bundled.specialty_index("nefrologi")
    np.testing.assert_allclose(after.plan.team.specialist_fte[s],
                               before.plan.team.specialist_fte[s])
    assert after.transport.patient_hours[s] == before.transport.patient_hours[s]
