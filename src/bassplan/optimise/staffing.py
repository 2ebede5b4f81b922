"""Team FTE of a solved plan, shared by need. The MILP fixes how many FTE each staff pool
deploys, but when a pool holds more than its teams' own work needs, any split of the
spare FTE (which then covers digital contacts and PRO answers) costs the same. This
picks the split a planner would: every team gets α × its required FTE, never less than
the minimum team, with one α per pool so that the pool's total is unchanged."""

from __future__ import annotations

import numpy as np

from bassplan.domain.vocabulary import BoolArray, FloatArray
from bassplan.optimise.model import Model, SpecialtyColumns

BISECTIONS = 100
TOLERANCE = 1e-7  # FTE


def required_fte(model: Model, col: SpecialtyColumns, values: FloatArray) -> FloatArray:
    """(K,) FTE each candidate team's own work needs: R_k / Hf (row value + f_k + h_k)."""
    rows = model.matrix[col.work_rows] @ values
    result: FloatArray = np.asarray(rows, dtype=np.float64) + values[col.f] + values[col.h]
    return result


def moved_fte(model: Model, col: SpecialtyColumns, fte: FloatArray) -> FloatArray:
    """(J,) FTE that leave each site when the candidates hold ``fte`` (K,): the base
    staffing less what stays, never negative (all of it where no team may be)."""
    req = model.request
    after = np.zeros(len(req.site_ids))
    after[col.candidates] = fte
    result: FloatArray = np.maximum(req.base_fte[col.specialty] - after, 0.0)
    return result


def _moves_allowed(model: Model, col: SpecialtyColumns, old: FloatArray,
                   new: FloatArray) -> bool:
    """Whether ``new`` FTE move no more staff out of any organisation than ``old`` (so the
    moves' cost and every organisation's cap still hold)."""
    req = model.request
    n_orgs = req.move_cap.size
    before = np.bincount(req.organisation, weights=moved_fte(model, col, old), minlength=n_orgs)
    after = np.bincount(req.organisation, weights=moved_fte(model, col, new), minlength=n_orgs)
    return bool((after <= before + TOLERANCE).all())


def share_by_need(total: float, need: FloatArray, floor: float) -> FloatArray:
    """Split ``total`` FTE as max(floor, α·need) with α such that the parts add to total."""
    if need.sum() <= 0.0:
        return np.full(need.size, total / need.size)
    low, high = 0.0, (total + floor) / need[need > 0].min()
    for _ in range(BISECTIONS):
        alpha = 0.5 * (low + high)
        if np.maximum(floor, alpha * need).sum() > total:
            high = alpha
        else:
            low = alpha
    parts = np.maximum(floor, low * need)
    result: FloatArray = parts + (total - parts.sum()) * (parts / parts.sum())
    return result


def _shortfall(need: FloatArray, fte: FloatArray, open_sp: BoolArray,
               location_free: float) -> tuple[FloatArray, float]:
    """Team shortfalls (K,) and the location-free work left uncovered (FTE)."""
    short = np.where(open_sp, np.maximum(need - fte, 0.0), 0.0)
    spare = np.where(open_sp, np.maximum(fte - need, 0.0), 0.0).sum()
    return short, max(location_free - float(spare), 0.0)


def balanced_fte(model: Model, values: FloatArray) -> FloatArray:
    """Column values with each pool's FTE split over its strength positions by need;
    kept only where the shortfall and the moves (and so the cost) do not grow."""
    req = model.request
    result = values.copy()
    for col in model.columns:
        s = col.specialty
        open_sp = values[col.y] > 0.5
        fte = values[col.f]
        need = required_fte(model, col, values)
        if req.settings.allow_cross_organisation:
            group = np.zeros(col.candidates.size, dtype=np.int64)
        else:
            group = req.organisation[col.candidates]
        split = np.where(open_sp, fte, 0.0)
        for g in np.unique(group[open_sp]):
            members = open_sp & (group == g)
            split[members] = share_by_need(float(fte[members].sum()), need[members],
                                           float(req.min_team_fte[s]))
        location_free = float(req.location_free_hours[s] / req.hours_per_fte)
        old = float(values[col.h].sum() + values[col.h0])
        short, left = _shortfall(need, split, open_sp, location_free)
        if short.sum() + left <= old + TOLERANCE and _moves_allowed(model, col, fte, split):
            result[col.f] = split
            result[col.h] = short
            result[col.h0] = left
    return result
