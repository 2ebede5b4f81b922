"""On-call burden per team: a rota of 1-in-N, where N counts the on-call specialists
actually present after holidays, sick leave and CPD.

N = on-call specialists × (1 − absence share); a team with N = 4 takes every fourth
night. The absence share is the part of the contractual year not available for work,
from the same parameters as WISN (``Parameters.absence_share``).
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.region import Region
from bassplan.domain.results import OnCall, ServicePlan
from bassplan.domain.vocabulary import FloatArray


def rota_size(on_call_specialists: FloatArray, absence: float) -> FloatArray:
    """Rota 1-in-N: N = on-call specialists (heads) × (1 − absence share)."""
    return np.asarray(on_call_specialists, dtype=np.float64) * (1.0 - absence)


def assess_on_call(region: Region, plan: ServicePlan) -> OnCall:
    """Rota 1-in-N per team (S, J) from the plan's on-call specialists; nan where the
    specialty has no team (no specialist FTE) at the site."""
    team = plan.team
    rota = rota_size(team.on_call_specialists, region.parameters.absence_share)
    return OnCall(rota_n=np.where(team.specialist_fte > 0, rota, np.nan))
