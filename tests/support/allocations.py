"""Hand-made allocations for tests: the fields a test does not care about filled as the
model fills them when nothing is over capacity and general internal medicine admits
wherever a specialty has no team."""

from __future__ import annotations

from typing import Any

import numpy as np

from bassplan.domain.results import Allocation, ServicePlan
from bassplan.domain.vocabulary import V_CONSULTS, V_TEAM


def hand_allocation(plan: ServicePlan, **fields: Any) -> Allocation:
    """An ``Allocation`` of ``fields``; left out: every area's visits wholly at its
    ``outpatient_at``, unlimited capacity, nothing unserved, inpatient work by the site's
    own team (general internal medicine where it has none)."""
    n_specialties, n_sites = plan.strength_position.shape
    outpatient_at = np.asarray(fields["outpatient_at"], dtype=np.int64)
    n_areas = outpatient_at.shape[1]
    share = np.zeros((n_specialties, n_areas, n_sites))
    np.put_along_axis(share, outpatient_at[:, :, None], 1.0, axis=2)
    has_team = plan.team.specialist_fte > 0
    own = np.broadcast_to(np.arange(n_sites)[None, :], has_team.shape)
    defaults: dict[str, Any] = {
        "outpatient_share": share,
        "outpatient_capacity": np.full((n_specialties, n_sites), np.inf),
        "unserved": np.zeros((n_specialties, n_areas)),
        "inpatient_team": np.where(has_team, own, -1).astype(np.int64),
        "inpatient_cover": np.where(has_team, V_TEAM, V_CONSULTS).astype(np.int64),
    }
    return Allocation(**{**defaults, **fields})
