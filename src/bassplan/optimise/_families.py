"""The constraint families of the strength-position MILP, one function each (the
formulation is in ``model``): access share, counts and fixed sites, outreach clinics,
consult cover, and team FTE against pools and workload. Each adds its columns, rows and
objective terms to the builder, vectorised over areas, sites and pairs of sites."""

from __future__ import annotations

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.optimise._builder import INF, Builder
from bassplan.optimise.request import OptimiseRequest

SHORTFALL_PRICE = 1.5  # bought-in cover costs 1.5 × an employed FTE
STRUCTURAL = 1000.0  # elastic penalty per unit of a structural constraint broken
CHOSEN = 2.0 * STRUCTURAL  # ... and of the planner's own choices (counts, fixed sites), so
#                            that an explanation names the place that forces them first



def access(b: Builder, req: OptimiseRequest, s: int, x: IntArray, points: IntArray,
            elastic: bool) -> None:
    """Σ_a res_a Σ_{p within T} x_ap / Σ res ≥ α (share units; slack in share units)."""
    share = req.settings.access_share
    if share <= 0.0:
        return
    within = req.minutes[:, points] <= req.settings.access_minutes
    weight = req.residents / req.residents.sum()
    row = b.rows(1, share, INF)
    b.put(row, x.ravel(), (weight[:, None] * within).ravel())
    if elastic:
        b.slack("access", s, -1, row, 1.0, 1.0)


def counts(b: Builder, req: OptimiseRequest, s: int, y: IntArray, cand: IntArray,
            elastic: bool) -> None:
    """Count bounds min ≤ Σ y ≤ max and fixed sites (bounds, or penalised rows when elastic)."""
    settings = req.settings
    top = settings.max_strength_positions or INF
    if not elastic:
        b.put(b.rows(1, settings.min_strength_positions, top), y)
        return
    low, high = b.rows(1, settings.min_strength_positions, INF), b.rows(1, -INF, top)
    b.put(low, y)
    b.put(high, y)
    b.slack("count_min", s, -1, low, 1.0, CHOSEN)
    b.slack("count_max", s, -1, high, -1.0, CHOSEN)
    for family, fixed, bounds, sign in (("fixed_open", req.fixed_open, (1.0, INF), 1.0),
                                        ("fixed_closed", req.fixed_closed, (-INF, 0.0), -1.0)):
        which = np.flatnonzero(fixed[s, cand])
        rows = b.rows(which.size, *bounds)
        b.put(rows, y[which])
        b.slack(family, s, cand[which], rows, sign, CHOSEN)


def outreach(
    b: Builder, req: OptimiseRequest, s: int, cand: IntArray, out: IntArray, y: IntArray,
    u: IntArray, n: IntArray, x: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, FloatArray]:
    """Clinic teams, days and capacity; return the (clinic, team) pairs, t, o and the team
    hours per day/week of o (clinic time and travel)."""
    most = req.max_half_days / 2.0
    qo, qk = np.nonzero(out[:, None] != cand[None, :])
    clinic, team = out[qo], cand[qk]
    t = b.cols(qo.size, s)
    o = b.cols(qo.size, s, upper=most, integer=False)
    rows = b.rows(out.size, 0.0, 0.0)  # Σ_k t_jk = u_j
    b.put(rows[qo], t)
    b.put(rows, u, -1.0)
    rows = b.rows(qo.size, -INF, 0.0)  # t_jk ≤ y_k
    b.put(rows, t)
    b.put(rows, y[qk], -1.0)
    rows = b.rows(qo.size, -INF, 0.0)  # o_jk ≤ D·t_jk
    b.put(rows, o)
    b.put(rows, t, -most)
    rows = b.rows(out.size, 0.0, 0.0)  # Σ_k o_jk = n_j / 2
    b.put(rows[qo], o)
    b.put(rows, n, -0.5)
    rows = b.rows(out.size, -INF, 0.0)  # u_j ≤ n_j
    b.put(rows, u)
    b.put(rows, n, -1.0)
    rows = b.rows(out.size, -INF, 0.0)  # n_j ≤ 2D·u_j
    b.put(rows, n)
    b.put(rows, u, -float(req.max_half_days))
    rows = b.rows(out.size, -INF, 0.0)  # Σ_a Dv·x_a(j,out) ≤ V·W·n_j / 2
    b.put(np.tile(rows, x.shape[0]), x[:, cand.size:].ravel(),
          np.repeat(req.in_person[s], out.size))
    b.put(rows, n, -req.visits_per_day * req.clinic_weeks / 2.0)

    weeks = req.clinic_weeks
    travel = weeks * 2.0 * req.site_minutes[team, clinic] / MINUTES_PER_HOUR  # hours per day/week
    b.term("staff", o, travel)
    b.term("cost", o, req.cost_per_km * weeks * 2.0 * req.site_km[team, clinic])
    return clinic, team, t, o, weeks * req.clinic_day_hours + travel


def cover(
    b: Builder, req: OptimiseRequest, s: int, cand: IntArray, y: IntArray, elastic: bool
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Inpatient cover of every active acute site (a hard constraint): its own team or
    exactly one other, as the scenario's rule says — 'rotation' (the covering team's
    specialists work the site's admissions, bed days and consults in person, one round
    trip per working day of ward work, within the consult reach), 'consults' (general
    internal medicine admits; the team consults on site or by video) or 'none' (every
    acute site keeps its own team). Return the (site, team) pairs, c and the team hours
    each pair brings."""
    mode = req.cover_mode[s]
    acute = np.flatnonzero(req.acute)
    pairs = (acute[:, None] != cand[None, :]) & (mode != "none")
    reach = req.site_minutes[cand[None, :], acute[:, None]] <= req.consult_reach_minutes
    video = req.video_share[s]
    allowed = reach if mode == "rotation" else reach | (video > 0.0)
    qj, qk = np.nonzero(pairs & (allowed | elastic))
    site, team = acute[qj], cand[qk]
    minutes = req.site_minutes[team, site]
    within = minutes <= req.consult_reach_minutes
    allowed = allowed[qj, qk]
    c = b.cols(site.size, s)
    rows = b.rows(acute.size, 1.0, 1.0)  # y_j + Σ_k c_jk = 1
    b.put(rows[qj], c)
    position = np.full(req.acute.size, -1, dtype=np.int64)
    position[cand] = np.arange(cand.size)
    own = position[acute]
    b.put(rows[own >= 0], y[own[own >= 0]])
    if elastic:
        b.slack("cover", s, acute, rows, 1.0, STRUCTURAL)
    rows = b.rows(c.size, -INF, 0.0)  # c_jk ≤ y_k
    b.put(rows, c)
    b.put(rows, y[qk], -1.0)
    if elastic:
        beyond = ~allowed
        b.mark("reach", s, site[beyond], c[beyond], STRUCTURAL, team[beyond])

    if mode == "rotation":
        trips = req.ward_hours[s, site] / req.clinic_day_hours  # working days of ward work
        travel = trips * 2.0 * minutes / MINUTES_PER_HOUR
        b.term("staff", c, travel)
        b.term("cost", c, req.cost_per_km * trips * 2.0 * req.site_km[team, site])
        return site, team, c, req.inpatient_hours[s, site] + travel
    on_site = np.where(within, 1.0 - video, 0.0)
    consults = req.consults[s, site]
    trips = consults * on_site / req.consults_per_visit
    travel = trips * 2.0 * minutes / MINUTES_PER_HOUR
    b.term("staff", c, travel)
    b.term("cost", c, req.cost_per_km * trips * 2.0 * req.site_km[team, site])
    timed = on_site + (1.0 - on_site) * req.digital_factor
    work = consults * timed * req.consult_minutes[s] / MINUTES_PER_HOUR + travel
    return site, team, c, work


def moves(b: Builder, req: OptimiseRequest, s: int, cand: IntArray,
          f: IntArray) -> tuple[IntArray, IntArray]:
    """FTE leaving their site, m_k ≥ F0_k − f_k at each candidate that holds staff today,
    at a cost each; return the m columns and their sites (``move_caps`` bounds them)."""
    base = req.base_fte[s]
    staying = base[cand] > 0.0
    m = b.cols(int(staying.sum()), s, upper=INF, integer=False)
    rows = b.rows(m.size, base[cand][staying], INF)  # f_k + m_k ≥ F0_k
    b.put(rows, f[staying])
    b.put(rows, m)
    b.term("cost", m, req.cost_per_moved_fte)
    return m, cand[staying]


def move_caps(b: Builder, req: OptimiseRequest, moved: list[tuple[IntArray, IntArray]],
              candidates: list[IntArray], elastic: bool) -> None:
    """Σ_s Σ_{j∈g} m_sj ≤ cap_g: the FTE of all optimised specialties that leave an
    organisation's sites, counting all of a site's staff where no team may be."""
    capped = np.flatnonzero(np.isfinite(req.move_cap))
    if capped.size == 0:
        return
    n_orgs = req.move_cap.size
    forced = np.zeros(n_orgs)
    for s, cand in enumerate(candidates):
        elsewhere = req.base_fte[s].copy()
        elsewhere[cand] = 0.0
        forced += np.bincount(req.organisation, weights=elsewhere, minlength=n_orgs)
    rows = b.rows(capped.size, -INF, req.move_cap[capped] - forced[capped])
    row_of = np.full(n_orgs, -1, dtype=np.int64)
    row_of[capped] = rows
    for m, sites in moved:
        org = req.organisation[sites]
        keep = row_of[org] >= 0
        b.put(row_of[org[keep]], m[keep])
    if elastic:
        b.slack("moves", -1, capped, rows, -1.0, STRUCTURAL)


def staff(
    b: Builder, req: OptimiseRequest, s: int, cand: IntArray, y: IntArray,
    hours: tuple[IntArray, IntArray, FloatArray], elastic: bool,
) -> tuple[IntArray, IntArray, int, IntArray, IntArray, IntArray]:
    """Team FTE that place each organisation's pool (or the region's) exactly, the moves
    that takes, and the shortfall against the workload."""
    cross = req.settings.allow_cross_organisation
    group = np.zeros(cand.size, dtype=np.int64) if cross else req.organisation[cand]
    pools = np.array([req.pool[s].sum()]) if cross else req.pool[s]
    f = b.cols(cand.size, s, upper=pools[group], integer=False)
    h = b.cols(cand.size, s, upper=INF, integer=False)
    h0 = int(b.cols(1, s, upper=INF, integer=False)[0])
    minimum = req.min_team_fte[s]
    rows = b.rows(cand.size, 0.0, INF)  # f_k ≥ min·y_k
    b.put(rows, f)
    b.put(rows, y, -minimum)
    if elastic:
        b.slack("min_team", s, cand, rows, 1.0, STRUCTURAL / max(minimum, 1.0))
    rows = b.rows(cand.size, -INF, 0.0)  # f_k ≤ pool·y_k
    b.put(rows, f)
    b.put(rows, y, -pools[group])
    used, member = np.unique(group, return_inverse=True)
    rows = b.rows(used.size, pools[used], pools[used])  # Σ_{k∈g} f_k = pool_g: conserved
    b.put(rows[member], f)
    if elastic:
        scale = STRUCTURAL / np.maximum(pools[used], 1.0)
        b.slack("pool", s, -1 if cross else used, rows, -1.0, scale)
        b.slack("conserve", s, -1 if cross else used, rows, 1.0, scale)
    m, m_site = moves(b, req, s, cand, f)

    team, cols, team_hours = hours
    per_fte = team_hours / req.hours_per_fte
    work = b.rows(cand.size, -INF, 0.0)  # R_k / Hf − f_k − h_k ≤ 0
    b.put(work[team], cols, per_fte)
    b.put(work, f, -1.0)
    b.put(work, h, -1.0)
    total = b.rows(1, -INF, -req.location_free_hours[s] / req.hours_per_fte)
    b.put(total, cols, per_fte)  # Σ R / Hf + L / Hf ≤ Σ (f + h) + h0
    b.put(total, np.concatenate([f, h, [h0]]), -1.0)
    b.term("cost", f, req.cost_per_fte)
    b.term("cost", np.concatenate([h, [h0]]), SHORTFALL_PRICE * req.cost_per_fte)
    return f, h, h0, work, m, m_site
