"""Who works where: organisations of sites, serving teams and pooling staff into strength
positions. Distances are site-to-site minutes; ties go to the lower site index."""

from __future__ import annotations

from typing import Literal

import numpy as np

from bassplan.domain.region import Region, Staffing
from bassplan.domain.scenario import Scenario
from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray

PoolMode = Literal["organisation", "region", "none"]


def nearest_index(cost: FloatArray, allowed: BoolArray) -> IntArray:
    """Index of the cheapest allowed column along the last axis; -1 where none is allowed.

    ``cost`` and ``allowed`` broadcast together; ties go to the lower index (first minimum).
    """
    masked = np.where(allowed, cost, np.inf)  # broadcast to the common shape
    index = masked.argmin(axis=-1)
    some = np.broadcast_to(allowed, masked.shape).any(axis=-1)
    return np.where(some, index, -1).astype(np.int64)


def organisation_of_sites(region: Region, scenario: Scenario) -> IntArray:
    """(J,) organisation number of every site; the scenario's ``organisations`` moves the
    sites it lists into that organisation (a merger or a split)."""
    codes = [o.id for o in region.organisations]
    for site in region.sites:
        if site.organisation_id not in codes:
            codes.append(site.organisation_id)
    number = {code: k for k, code in enumerate(codes)}
    site_index = {s.id: j for j, s in enumerate(region.sites)}
    result = np.array([number[s.organisation_id] for s in region.sites], dtype=np.int64)
    for org, site_ids in scenario.organisations.items():
        for site_id in site_ids:
            result[site_index[site_id]] = number[org]
    return result


def serving_teams(
    strength: BoolArray, organisation: IntArray, site_minutes: FloatArray
) -> IntArray:
    """(S, J) the strength position whose team serves each site: the site itself, else the
    nearest strength position of its organisation, else the nearest anywhere (-1: none)."""
    same_org = organisation[:, None] == organisation[None, :]  # (J, J)
    in_org = nearest_index(site_minutes[None, :, :], strength[:, None, :] & same_org[None])
    anywhere = nearest_index(site_minutes[None, :, :], strength[:, None, :])
    serving = np.where(in_org >= 0, in_org, anywhere)
    return np.where(strength, np.arange(strength.shape[1])[None, :], serving).astype(np.int64)


def pool_staff(
    team: Staffing,
    strength: BoolArray,
    organisation: IntArray,
    site_minutes: FloatArray,
    mode: PoolMode,
) -> Staffing:
    """Move each specialty's staff at a site that is not one of its strength positions to
    the nearest strength position of the same organisation ('organisation'), anywhere
    ('region') or nowhere ('none'); staff with nowhere to go stay as a local team."""
    n_specialties, n_sites = strength.shape
    sites = np.arange(n_sites)
    if mode == "none":
        target = np.broadcast_to(sites, (n_specialties, n_sites))
    else:
        allowed = strength[:, None, :]
        if mode == "organisation":
            allowed = allowed & (organisation[:, None] == organisation[None, :])[None]
        nearest = nearest_index(site_minutes[None, :, :], allowed)  # (S, J)
        target = np.where(strength | (nearest < 0), sites[None, :], nearest)
    flat_target = (np.arange(n_specialties)[:, None] * n_sites + target).ravel()

    def moved(values: FloatArray) -> FloatArray:
        pooled = np.bincount(flat_target, weights=values.ravel(), minlength=strength.size)
        result: FloatArray = np.asarray(pooled, dtype=np.float64).reshape(n_specialties, n_sites)
        return result

    return Staffing(
        specialist_fte=moved(team.specialist_fte),
        trainee_fte=moved(team.trainee_fte),
        vacant_fte=moved(team.vacant_fte),
        on_call_specialists=moved(team.on_call_specialists),
        illustrative=team.illustrative,
    )
