"""On-call burden as Danish acute hospitals organise it: one shared medical bagvagt per
active acute site, taken by the specialists of every internal-medicine specialty there
that has no rota of its own, and a specialty rota only where the region's data says the
specialty keeps one (``Specialty.own_rota``). A site without acute admissions has no rota.

A rota is 1-in-N with N = on-call specialists × (1 − absence share): the heads actually
present after holidays, sick leave and CPD (``Parameters.absence_share``); N = 4 means
every fourth night.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.region import Region
from bassplan.domain.results import OnCall, ServicePlan
from bassplan.domain.vocabulary import FloatArray


def rota_size(on_call_specialists: FloatArray, absence: float) -> FloatArray:
    """Rota 1-in-N: N = on-call specialists (heads) × (1 − absence share)."""
    return np.asarray(on_call_specialists, dtype=np.float64) * (1.0 - absence)


def bagvagt_heads(region: Region, plan: ServicePlan) -> FloatArray:
    """(J,) on-call specialists sharing each active acute site's medical bagvagt: the teams
    there of every specialty without a rota of its own; 0 elsewhere."""
    shared = np.array([not spec.own_rota for spec in region.specialties], dtype=bool)
    team = plan.team
    heads = np.where((team.specialist_fte > 0) & shared[:, None], team.on_call_specialists, 0.0)
    return np.where(region.acute_mask, heads.sum(axis=0), 0.0)


def assess_on_call(region: Region, plan: ServicePlan) -> OnCall:
    """Rota 1-in-N per team (S, J): its own rota where the specialty keeps one, else the
    site's shared bagvagt; nan where the specialty has no team or the site admits nobody."""
    absence = region.parameters.absence_share
    own = np.array([spec.own_rota for spec in region.specialties], dtype=bool)
    team = plan.team
    shared = rota_size(bagvagt_heads(region, plan), absence)  # (J,)
    rota = np.where(own[:, None], rota_size(team.on_call_specialists, absence), shared[None, :])
    takes_call = (team.specialist_fte > 0) & region.acute_mask[None, :]
    return OnCall(rota_n=np.where(takes_call, rota, np.nan))
