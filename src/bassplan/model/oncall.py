"""On-call burden per team: a rota of 1-in-N, where N counts the on-call specialists
actually present after holidays, sick leave and CPD.

N = on-call specialists × (1 − absence share); a team with N = 4 takes every fourth
night. The absence share is the part of the contractual year not available for work,
from the same parameters as WISN (``workload.available_hours_per_fte``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.region import Parameter, Region
from bassplan.domain.results import OnCall, ServicePlan
from bassplan.domain.vocabulary import FloatArray
from bassplan.model.workload import PARAMETERS_FILE, available_hours_per_fte, parameter_value


def absence_share(parameters: Mapping[str, Parameter]) -> float:
    """Share (0..1) of the contractual year a specialist is away: 1 − available hours /
    (hours per week × weeks per year)."""
    contractual = parameter_value(parameters, "hours_per_week") * parameter_value(
        parameters, "weeks_per_year"
    )
    share = 1.0 - available_hours_per_fte(parameters) / contractual
    if not 0.0 <= share < 1.0:
        raise InputError(
            PARAMETERS_FILE,
            "key weeks_per_year",
            "value",
            f"absence share {share:g} must lie in [0, 1): available hours exceed the year",
        )
    return share


def rota_size(on_call_specialists: FloatArray, absence: float) -> FloatArray:
    """Rota 1-in-N: N = on-call specialists (heads) × (1 − absence share)."""
    return np.asarray(on_call_specialists, dtype=np.float64) * (1.0 - absence)


def assess_on_call(region: Region, plan: ServicePlan) -> OnCall:
    """Rota 1-in-N per team (S, J) from the plan's on-call specialists; nan where the
    specialty has no team (no specialist FTE) at the site."""
    team = plan.team
    rota = rota_size(team.on_call_specialists, absence_share(region.parameters))
    return OnCall(rota_n=np.where(team.specialist_fte > 0, rota, np.nan))
