"""Brute-force oracles of the strength-position MILP, written from the formulation in
``bassplan.optimise.model`` with plain loops: every set of strength positions among the
active acute sites the request allows, every inpatient cover by the scenario's rule
(rotation within reach, consults, or a team at every acute site), every assignment (or,
without cost weight, the nearest open site, which is then optimal for both travel and
access), and the team FTE by a small LP of its own in which every organisation's (or the
region's) specialists are placed exactly and moves out of a site cost and are capped.
Inputs are the request's arrays (tests/optimise/test_opt_request.py checks those)."""

from __future__ import annotations

import math
from itertools import combinations, product

from scipy.optimize import linprog

from bassplan.optimise.request import OptimiseRequest

SHORTFALL = 1.5


def _staffing_cost(req: OptimiseRequest, s: int, opened: tuple[int, ...],
                   need: dict[int, float]) -> float | None:
    """Least cpf·Σf + 1.5·cpf·(Σh + h0) + cost per moved FTE·Σm for teams at ``opened``
    (all the staff of a site without a team move);
    None if no staffing places every pool exactly within the minimum teams and the move
    caps. Variables f_k, h_k (k in opened), h0, then m_k (k in opened)."""
    n = len(opened)
    cross = req.settings.allow_cross_organisation
    n_orgs = req.pool.shape[1]
    groups = [0] * n if cross else [int(req.organisation[k]) for k in opened]
    pools = {0: float(req.pool[s].sum())} if cross else {
        g: float(req.pool[s, g]) for g in range(n_orgs) if req.pool[s, g] > 0 or g in groups}
    width = 3 * n + 1
    cost = ([req.cost_per_fte] * n + [SHORTFALL * req.cost_per_fte] * (n + 1)
            + [req.cost_per_moved_fte] * n)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for g, pool in pools.items():  # Σ_{k in g} f_k = pool_g: nobody disappears
        a_eq.append([1.0 if groups[i] == g else 0.0 for i in range(n)] + [0.0] * (2 * n + 1))
        b_eq.append(pool)
    for i, k in enumerate(opened):  # f_k + h_k ≥ need_k
        row = [0.0] * width
        row[i] = row[n + i] = -1.0
        a_ub.append(row)
        b_ub.append(-need[k])
    for i, k in enumerate(opened):  # f_k + m_k ≥ base_k: who leaves k has moved
        row = [0.0] * width
        row[i] = row[2 * n + 1 + i] = -1.0
        a_ub.append(row)
        b_ub.append(-float(req.base_fte[s, k]))
    for g in range(n_orgs):  # moves out of g's sites ≤ cap_g (closed sites move all)
        cap = float(req.move_cap[g])
        if math.isinf(cap):
            continue
        forced = sum(float(req.base_fte[s, j]) for j in range(req.acute.size)
                     if req.organisation[j] == g and j not in opened)
        a_ub.append([0.0] * (2 * n + 1) + [1.0 if req.organisation[k] == g else 0.0
                                           for k in opened])
        b_ub.append(cap - forced)
    row = [-1.0] * (2 * n + 1) + [0.0] * n  # Σ f + Σ h + h0 ≥ Σ need + location-free
    a_ub.append(row)
    b_ub.append(-(sum(need.values()) + req.location_free_hours[s] / req.hours_per_fte))
    bounds = [(req.min_team_fte[s], pools[groups[i]]) for i in range(n)]
    bounds += [(0.0, None)] * (2 * n + 1)
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                     method="highs")
    closed = sum(float(req.base_fte[s, j]) for j in range(req.acute.size) if j not in opened)
    return float(result.fun) + req.cost_per_moved_fte * closed if result.status == 0 else None


def _consult_options(req: OptimiseRequest, s: int, opened: tuple[int, ...]) -> list[list[int]]:
    """For each acute site without a team: the teams allowed to cover it (none when the
    rule is 'none'; within reach for rotation; within reach or by video for consults)."""
    reach = req.consult_reach_minutes
    video = req.video_share[s] if req.cover_mode[s] == "consults" else 0.0
    mode = req.cover_mode[s]
    return [[k for k in opened if mode != "none"
             and (req.site_minutes[k, j] <= reach or video > 0)]
            for j in range(req.acute.size) if req.acute[j] and j not in opened]


def _consult(req: OptimiseRequest, s: int, k: int, j: int) -> tuple[float, float, float]:
    """(staff hours, staff km, team hours) per year of team k covering acute site j:
    rotation (a round trip per working day of ward work, the site's admissions, bed days
    and consults in person) or consults (on site within reach, else by video)."""
    if req.cover_mode[s] == "rotation":
        trips = req.ward_hours[s, j] / req.clinic_day_hours
        hours = trips * 2.0 * req.site_minutes[k, j] / 60.0
        return hours, trips * 2.0 * req.site_km[k, j], req.inpatient_hours[s, j] + hours
    on = 1.0 - req.video_share[s] if req.site_minutes[k, j] <= \
        req.consult_reach_minutes else 0.0
    consults = req.consults[s, j]
    trips = consults * on / req.consults_per_visit
    hours = trips * 2.0 * req.site_minutes[k, j] / 60.0
    work = consults * (on + (1.0 - on) * req.digital_factor) * req.consult_minutes[s] / 60.0
    return hours, trips * 2.0 * req.site_km[k, j], work + hours


def _sets(req: OptimiseRequest, s: int) -> list[tuple[int, ...]]:
    """Every allowed set of strength positions (count bounds, fixed sites) among the
    candidates that are active acute sites (no other site is eligible in these tests)."""
    settings = req.settings
    cand = [j for j in range(req.acute.size) if req.candidates[s, j] and req.acute[j]]
    top = settings.max_strength_positions or len(cand)
    result = []
    for size in range(settings.min_strength_positions, top + 1):
        for opened in combinations(cand, size):
            if any(req.fixed_open[s, j] and j not in opened for j in range(req.acute.size)):
                continue
            if any(req.fixed_closed[s, j] for j in opened):
                continue
            result.append(opened)
    return result


def _access_ok(req: OptimiseRequest, site_of: list[int]) -> bool:
    """Whether the assignment meets the access share."""
    settings = req.settings
    within = sum(req.residents[a] for a, j in enumerate(site_of)
                 if req.minutes[a, j] <= settings.access_minutes)
    return bool(within >= settings.access_share * req.residents.sum() - 1e-9)


def _patient(req: OptimiseRequest, s: int, site_of: list[int]) -> float:
    """Patient round-trip hours of in-person visits and admissions."""
    return sum(2.0 * (req.in_person[s, a] * req.minutes[a, j]
                      + req.admissions[s, a] * req.admit_minutes[a]) / 60.0
               for a, j in enumerate(site_of))


def oracle(req: OptimiseRequest, s: int) -> float:
    """Least objective of specialty s without outreach (inf if nothing is feasible)."""
    w = req.settings.weights
    n_areas = req.residents.size
    best = math.inf
    for opened in _sets(req, s):
        uncovered = [j for j in range(req.acute.size) if req.acute[j] and j not in opened]
        if w.cost_dkk > 0:
            assignments = list(product(opened, repeat=n_areas))
        else:
            assignments = [tuple(min(opened, key=lambda k, a=a: (req.minutes[a, k], k))
                                 for a in range(n_areas))]
        for cover in product(*_consult_options(req, s, opened)):
            for site_of in assignments:
                if not _access_ok(req, list(site_of)):
                    continue
                need = {k: (req.inpatient_hours[s, k] if req.acute[k] else 0.0)
                        for k in opened}
                for a, k in enumerate(site_of):
                    need[k] += req.visit_hours[s, a]
                staff = km = 0.0
                for j, k in zip(uncovered, cover, strict=True):
                    hours, dist, work = _consult(req, s, k, j)
                    staff, km = staff + hours, km + dist
                    need[k] += work
                fte_cost = _staffing_cost(req, s, opened,
                                          {k: v / req.hours_per_fte for k, v in need.items()})
                if fte_cost is None:
                    continue
                total = (w.patient_hours * _patient(req, s, list(site_of))
                         + w.staff_hours * staff
                         + w.cost_dkk * (fte_cost + km * req.cost_per_km))
                best = min(best, total)
    return best


def oracle_one_clinic(req: OptimiseRequest, s: int, clinic: int) -> float:
    """Least objective of specialty s with one outreach candidate and no cost weight."""
    w = req.settings.weights
    n_areas = req.residents.size
    per_half_day = req.visits_per_day * req.clinic_weeks / 2.0
    best = math.inf
    for opened in _sets(req, s):
        uncovered = [j for j in range(req.acute.size) if req.acute[j] and j not in opened]
        nearest = [min(opened, key=lambda k, a=a: (req.minutes[a, k], k))
                   for a in range(n_areas)]
        for cover in product(*_consult_options(req, s, opened)):
            cover_of = dict(zip(uncovered, cover, strict=True))
            if _staffing_cost(req, s, opened, dict.fromkeys(opened, 0.0)) is None:
                continue
            staff = sum(_consult(req, s, k, j)[0] for j, k in cover_of.items())
            plans: list[tuple[int | None, int]] = [(None, 0)]
            if clinic not in opened:
                teams = [cover_of[clinic]] if clinic in cover_of else list(opened)
                plans += [(team, mask) for team in teams for mask in range(2 ** n_areas)]
            for team, mask in plans:
                site_of = [clinic if mask >> a & 1 else nearest[a] for a in range(n_areas)]
                extra = 0.0
                if team is not None:
                    load = sum(req.in_person[s, a] for a in range(n_areas) if mask >> a & 1)
                    half_days = max(1, math.ceil(load / per_half_day - 1e-9))
                    if half_days > req.max_half_days:
                        continue
                    extra = half_days / 2.0 * req.clinic_weeks * 2.0 * \
                        req.site_minutes[team, clinic] / 60.0
                if not _access_ok(req, site_of):
                    continue
                total = w.patient_hours * _patient(req, s, site_of) + \
                    w.staff_hours * (staff + extra)
                best = min(best, total)
    return best
