r"""The strength-position MILP: where each specialty's teams sit, which outreach clinics
other sites get, who sees whom, and what that costs residents and staff.

All requested specialties are one model (they share clinic rooms and the organisations'
move caps). Per specialty s, with areas a, candidate strength positions k ∈ K (eligible
sites only: active acute ones, and those ``eligible_sites`` lists), outreach sites j ∈ O,
active acute sites j ∈ H and service points p ∈ P = K ∪ O (a site as strength position or
as clinic):

    y_k ∈ {0,1}     strength position at k            u_j ∈ {0,1}  outreach clinic at j
    x_ap ∈ {0,1}    area a's in-person visits at p    n_j ∈ ℤ      half clinic days/week
    t_jk ∈ {0,1}    team k holds clinic j             o_jk ≥ 0     days/week team k holds at j
    c_jk ∈ {0,1}    team k covers acute site j        f_k, h_k, h0 ≥ 0   FTE, shortfall
    m_k ≥ 0         FTE that leave site k (F0_k: its specialist FTE before the plan)

    Σ_p x_ap = 1                    population responsibility: every resident is served
    x_ap ≤ y_k (p = k) or u_j (p = j),   u_j + y_j ≤ 1
    Σ_k t_jk = u_j,  t_jk ≤ y_k,  o_jk ≤ D·t_jk,  Σ_k o_jk = n_j / 2,  u_j ≤ n_j ≤ 2D·u_j
    Σ_a Dv_a·x_a(j,out) ≤ V·W·n_j / 2                       clinic capacity
    y_j + Σ_k c_jk = 1 (j ∈ H),  c_jk ≤ y_k,  t_jk ≤ c_jk   inpatient cover: one team,
    by the scenario's rule — rotation (pairs within reach), consults, none (no pairs)
    min·y_k ≤ f_k ≤ pool_g(k)·y_k,   Σ_{k ∈ g} f_k = pool_g (one region pool if transfers):
    every FTE placed (pools after ``released_staff``);  f_k + m_k ≥ F0_k
    Σ_s Σ_{k ∈ g} m_sk + Σ_s F0 at g's sites outside K ≤ cap_g   moves per organisation
    R_k / Hf − f_k − h_k ≤ 0,        Σ_k R_k / Hf + L / Hf ≤ Σ_k (f_k + h_k) + h0
    Σ_a res_a Σ_{p: m_ap ≤ T} x_ap ≥ α·Σ_a res_a           access share
    Σ_s Σ_a Dv_sa·x_sa(j,·) ≤ cap_j (joint over specialties)
    min_sp ≤ Σ_k y_k ≤ max_sp;  fixed open / closed sites bound y_k

with Dv in-person visits/year, V visits per clinic day, W clinic weeks/year, D the most
days/week a clinic holds, Hf clinical hours per FTE, L the location-free hours (digital
contacts, PRO answers) and team k's hours per year

    R_k = Σ_a vh_a·x_ak + Σ_j o_jk·W·(day hours + 2·m_kj/60)
          + Σ_j c_jk·C_j·[(σ + (1−σ)·δ)·mc/60 + σ/cpv·2·m_kj/60] + y_k·IH_k    (consults)
          + Σ_j c_jk·[IH_j + WH_j/dh·2·m_kj/60]                                   (rotation)

(vh: hours of the visits, C_j: consults at an acute site without a team — demand plus
admissions, σ = 1 − video share within the scenario's ``consult_reach_minutes`` and 0
beyond (video only, as the evaluator counts them; a pair beyond reach with no video is not
allowed), δ: digital minutes factor, mc: minutes
per consult, IH_k: hours of an acute site's own admissions, bed days and consults, WH_j:
hours of its admissions and bed days, dh: hours of one working day, so WH_j/dh round trips).

Objective: w_p·patient hours + w_s·staff hours + w_c·cost, where patient hours =
Σ Dv·2·m_ap/60·x_ap (+ the admissions' round trips, a constant), staff hours =
Σ o·W·2·m_kj/60 + Σ c·(trips)·2·m_kj/60, cost = Σ f·cpf + (Σ h + h0)·1.5·cpf + staff
km·cpk + Σ m·cpm. An elastic model adds a penalised slack to each constraint family that can fail
(access, pools both ways, moves, inpatient cover, minimum team, capacity, consult reach,
fixed sites, counts).

The assignment core is the p-median of ReVelle & Swain (1970) in its strong form
(x_ap ≤ y_p per pair); clinics, teams and staffing extend it. Clinic days are whole half
days (n_j) and each clinic has one team, the team that also covers its acute site, so a
plan is exactly a scenario (``to_scenario``). Quantities are per year, days per week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray
from bassplan.optimise._builder import INF, Builder, Slack
from bassplan.optimise._families import (
    STRUCTURAL,
    access,
    counts,
    cover,
    move_caps,
    outreach,
    staff,
)
from bassplan.optimise.request import OptimiseRequest


@dataclass(frozen=True)
class SpecialtyColumns:
    """Where one specialty's variables sit in the model (site indices are region sites)."""

    specialty: int
    candidates: IntArray  # (K,) site of each candidate strength position
    y: IntArray  # (K,)
    outreach: IntArray  # (O,) site of each outreach candidate
    u: IntArray  # (O,)
    n: IntArray  # (O,) half clinic days per week
    point_site: IntArray  # (P,) site of each service point: candidates, then outreach
    x: IntArray  # (A, P)
    team_clinic: IntArray  # (Q,) outreach site j of each (clinic, team) pair
    team_site: IntArray  # (Q,) team site k
    t: IntArray  # (Q,)
    o: IntArray  # (Q,)
    cover_site: IntArray  # (R,) acute site j of each (site, covering team) pair
    cover_team: IntArray  # (R,)
    c: IntArray  # (R,)
    f: IntArray  # (K,)
    h: IntArray  # (K,)
    h0: int
    work_rows: IntArray  # (K,) rows R_k / Hf − f_k − h_k ≤ 0
    m: IntArray  # (M,) FTE that leave a candidate site holding staff today
    m_site: IntArray  # (M,) that site


@dataclass(frozen=True)
class Row:
    """One extra row lower ≤ Σ value·column ≤ upper (e.g. a Pareto bound)."""

    index: IntArray
    value: FloatArray
    lower: float
    upper: float


@dataclass(frozen=True)
class Objective:
    """A linear objective: cost per column and a constant."""

    cost: FloatArray
    offset: float


@dataclass(frozen=True)
class Model:
    """The assembled MILP with its variable maps and objective terms (per column)."""

    request: OptimiseRequest
    columns: tuple[SpecialtyColumns, ...]
    matrix: sparse.csc_array
    row_lower: FloatArray
    row_upper: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    integer: BoolArray
    col_specialty: IntArray  # (n,) position of the column's specialty, -1 shared
    patient: FloatArray  # (n,) patient travel hours per unit
    patient_constant: FloatArray  # (S,) admissions' round-trip hours, fixed
    staff: FloatArray  # (n,) staff travel hours per unit
    cost: FloatArray  # (n,) DKK per unit
    slacks: tuple[Slack, ...]

    @property
    def elastic(self) -> bool:
        """Whether constraint families carry penalised slack columns."""
        return bool(self.slacks)

    def objective(self, patient: float, staff: float, cost: float) -> Objective:
        """The weighted sum of the three terms (weights per hour and per DKK)."""
        vector = patient * self.patient + staff * self.staff + cost * self.cost
        return Objective(vector, patient * float(self.patient_constant.sum()))

    def weighted(self) -> Objective:
        """The settings' objective."""
        w = self.request.settings.weights
        return self.objective(w.patient_hours, w.staff_hours, w.cost_dkk)

    def penalty(self) -> Objective:
        """The elastic objective: total penalised violation."""
        vector = np.zeros(self.col_lower.size)
        for slack in self.slacks:
            vector[slack.column] += slack.penalty
        return Objective(vector, 0.0)

    def with_rows(self, rows: Sequence[Row]) -> tuple[sparse.csc_array, FloatArray, FloatArray]:
        """The matrix and row bounds with ``rows`` appended."""
        if not rows:
            return self.matrix, self.row_lower, self.row_upper
        extra = sparse.csc_array(
            (np.concatenate([r.value for r in rows]),
             (np.repeat(np.arange(len(rows)), [r.index.size for r in rows]),
              np.concatenate([r.index for r in rows]))),
            shape=(len(rows), self.matrix.shape[1]),
        )
        matrix = sparse.csc_array(sparse.vstack([self.matrix, extra], format="csc"))
        lower = np.concatenate([self.row_lower, [r.lower for r in rows]])
        upper = np.concatenate([self.row_upper, [r.upper for r in rows]])
        return matrix, lower, upper


def build_model(request: OptimiseRequest, *, elastic: bool = False) -> Model:
    """Build the MILP of the request for all its specialties jointly."""
    b = Builder()
    columns = [_specialty(b, request, s, elastic) for s in range(len(request.specialty_ids))]
    _capacity(b, request, columns, elastic)
    move_caps(b, request, [(col.m, col.m_site) for col in columns],
              [col.candidates for col in columns], elastic)
    done = b.assemble()
    patient_constant = 2.0 * (request.admissions * request.admit_minutes[None, :]).sum(axis=1)
    return Model(
        request=request,
        columns=tuple(columns),
        matrix=done.matrix,
        row_lower=done.row_lower,
        row_upper=done.row_upper,
        col_lower=done.col_lower,
        col_upper=done.col_upper,
        integer=done.integer,
        col_specialty=done.col_specialty,
        patient=done.terms["patient"],
        patient_constant=patient_constant / MINUTES_PER_HOUR,
        staff=done.terms["staff"],
        cost=done.terms["cost"],
        slacks=done.slacks,
    )


def _specialty(b: Builder, req: OptimiseRequest, s: int, elastic: bool) -> SpecialtyColumns:
    """Add one specialty's columns and rows; return where they sit."""
    cand = np.flatnonzero(req.candidates[s])
    out = np.flatnonzero(req.outreach_sites[s])
    n_areas, n_sites = req.residents.size, req.acute.size
    hard = not elastic
    y = b.cols(cand.size, s, lower=np.where(req.fixed_open[s, cand] & hard, 1.0, 0.0),
               upper=np.where(req.fixed_closed[s, cand] & hard, 0.0, 1.0))
    u = b.cols(out.size, s)
    n = b.cols(out.size, s, upper=req.max_half_days)
    points = np.concatenate([cand, out])
    x = b.cols(n_areas * points.size, s).reshape(n_areas, points.size)

    b.put(np.repeat(b.rows(n_areas, 1.0, 1.0), points.size), x.ravel())  # Σ_p x_ap = 1
    rows = b.rows(x.size, -INF, 0.0)  # x_ap ≤ y or u of p
    b.put(rows, x.ravel())
    b.put(rows, np.tile(np.concatenate([y, u]), n_areas), -1.0)
    both, in_cand, in_out = np.intersect1d(cand, out, return_indices=True)
    rows = b.rows(both.size, -INF, 1.0)  # u_j + y_j ≤ 1
    b.put(rows, y[in_cand])
    b.put(rows, u[in_out])
    b.term("patient", x.ravel(),
           (req.in_person[s][:, None] * 2.0 * req.minutes[:, points] / MINUTES_PER_HOUR).ravel())
    access(b, req, s, x, points, elastic)
    counts(b, req, s, y, cand, elastic)

    team_clinic, team_site, t, o, load = outreach(b, req, s, cand, out, y, u, n, x)
    cover_site, cover_team, c, cover_load = cover(b, req, s, cand, y, elastic)
    # one team for an acute site's clinic and its consults: t_jk ≤ c_jk
    pair = np.full((n_sites, n_sites), -1, dtype=np.int64)
    pair[cover_site, cover_team] = c
    linked = pair[team_clinic, team_site]
    at_acute = req.acute[team_clinic]
    rows = b.rows(int((at_acute & (linked >= 0)).sum()), -INF, 0.0)
    b.put(rows, t[at_acute & (linked >= 0)])
    b.put(rows, linked[at_acute & (linked >= 0)], -1.0)
    b.fix_upper(t[at_acute & (linked < 0)], 0.0)

    position = np.full(n_sites, -1, dtype=np.int64)  # site → its place among candidates
    position[cand] = np.arange(cand.size)
    hours = (  # team hours R_k as (team position, column, hours)
        np.concatenate([np.repeat(np.arange(cand.size)[None, :], n_areas, 0).ravel(),
                        position[team_site], position[cover_team], np.arange(cand.size)]),
        np.concatenate([x[:, : cand.size].ravel(), o, c, y]),
        np.concatenate([np.repeat(req.visit_hours[s], cand.size), load, cover_load,
                        req.inpatient_hours[s, cand]]),
    )
    f, h, h0, work, m, m_site = staff(b, req, s, cand, y, hours, elastic)
    return SpecialtyColumns(s, cand, y, out, u, n, points, x, team_clinic, team_site, t, o,
                            cover_site, cover_team, c, f, h, h0, work, m, m_site)


def _capacity(b: Builder, req: OptimiseRequest, columns: list[SpecialtyColumns],
              elastic: bool) -> None:
    """Clinic rooms shared by the specialties: Σ_s Σ_a Dv·x at site j ≤ cap_j."""
    limited = np.flatnonzero(np.isfinite(req.site_capacity))
    if limited.size == 0:
        return
    row_of = np.full(req.site_capacity.size, -1, dtype=np.int64)
    rows = b.rows(limited.size, -INF, req.site_capacity[limited])
    row_of[limited] = rows
    for col in columns:
        n_areas, n_points = col.x.shape
        site = np.tile(col.point_site, n_areas)
        keep = row_of[site] >= 0
        values = np.repeat(req.in_person[col.specialty], n_points)
        b.put(row_of[site[keep]], col.x.ravel()[keep], values[keep])
    if elastic:
        scale = np.maximum(np.abs(req.site_capacity[limited]), 1.0)
        b.slack("capacity", -1, limited, rows, -1.0, STRUCTURAL / scale)
