"""On-call rota 1-in-N on the toy region, by hand, and its monotonicity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bassplan.domain.region import Region, Staffing
from bassplan.domain.results import ServicePlan
from bassplan.model.oncall import assess_on_call, rota_size

# available 1,554 h of a contractual 37 × 52 = 1,924 h: away 370 / 1,924 of the year
TOY_ABSENCE = 370 / 1_924


def plan_with(specialist: list[float], on_call: list[float]) -> ServicePlan:
    spec = np.array([specialist])
    return ServicePlan(
        strength_position=spec > 0,
        outreach_days_per_week=np.zeros_like(spec),
        digital_share=np.zeros((1, 6)),
        pro_share=np.zeros(1),
        trigger_rate=np.zeros(1),
        team=Staffing(
            specialist_fte=spec,
            trainee_fte=np.zeros_like(spec),
            vacant_fte=np.zeros_like(spec),
            on_call_specialists=np.array([on_call]),
        ),
        serving_team=np.array([[0, 0]], dtype=np.int64), consult_reach_minutes=60.0,
    )


def test_absence_share(toy: Region) -> None:
    assert toy.parameters.absence_share == pytest.approx(TOY_ABSENCE)


def test_rota_on_the_toy_region(toy: Region) -> None:
    """Site 0: 4 on-call heads × 1,554/1,924 present = 1-in-3.23; site 1 has no team."""
    result = assess_on_call(toy, plan_with([4.0, 0.0], [4.0, 2.0]))
    assert result.rota_n[0, 0] == pytest.approx(4 * 1_554 / 1_924)
    assert np.isnan(result.rota_n[0, 1])


def test_a_team_without_on_call_heads_has_a_rota_of_zero(toy: Region) -> None:
    result = assess_on_call(toy, plan_with([3.0, 2.0], [0.0, 5.0]))
    np.testing.assert_allclose(result.rota_n, [[0.0, 5 * 1_554 / 1_924]])


@given(
    st.lists(st.floats(0.0, 40.0), min_size=1, max_size=10),
    st.lists(st.floats(0.0, 10.0), min_size=1, max_size=10),
    st.floats(0.0, 0.99),
)
def test_more_on_call_specialists_never_shorten_the_rota(
    heads: list[float], extra: list[float], absence: float
) -> None:
    n = min(len(heads), len(extra))
    base = np.array(heads[:n])
    more = base + np.array(extra[:n])
    assert (rota_size(more, absence) >= rota_size(base, absence)).all()


def test_a_shared_bagvagt_and_the_specialty_rotas_on_the_bundled_region() -> None:
    """Holbæk in the baseline: cardiology, nephrology and gastroenterology keep their own
    rotas (specialties.csv); the other four specialties' on-call heads share one medical
    bagvagt; SUH Roskilde admits nobody and has no rota, even for a team there."""
    from bassplan.data import load_region, load_scenario
    from bassplan.model.evaluate import evaluate
    from tests.support.paths import EXAMPLES

    region = load_region()
    ev = evaluate(region, load_scenario(EXAMPLES / "baseline.yaml", region))
    keep = 1.0 - region.parameters.absence_share
    j = region.site_index("holbaek")
    heads = {spec.id: float(region.staffing.on_call_specialists[s, j])
             for s, spec in enumerate(region.specialties)}
    shared = sum(heads[k] for k in ("lungemedicin", "endokrinologi", "reumatologi", "geriatri"))
    for s, spec in enumerate(region.specialties):
        own = spec.id in ("kardiologi", "nefrologi", "gastromedicin")
        assert spec.own_rota == own
        expected = (heads[spec.id] if own else shared) * keep
        assert ev.on_call.rota_n[s, j] == pytest.approx(expected)
    geriatrics = evaluate(region, load_scenario(EXAMPLES / "geriatri_udgaaende.yaml", region))
    g, roskilde = region.specialty_index("geriatri"), region.site_index("suh_roskilde")
    assert geriatrics.plan.team.specialist_fte[g, roskilde] > 0
    assert np.isnan(geriatrics.on_call.rota_n[g, roskilde])
