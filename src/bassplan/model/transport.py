"""Transport: patient and staff round trips per year, their hours, CO2 and what the region
pays for patients' transport, and what digital contacts, PRO follow-up and outreach
clinics save (architecture.md, stage 6).

The region pays (``Parameters``) own-car reimbursement per km: for every trip longer than
``reimbursement_threshold_km`` one way, and for pensioners' trips (the share
``pensioner_share``) whose round trip costs more than ``pensioner_minimum_dkk``; and a
Flexpatient trip for the share ``dialysis_flexpatient_share`` of dialysis trips (the rest
as other trips). CO2 uses the car fleet's g/km of the scenario's year
(``fleet_g_co2_per_km``).
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR, WORKING_DAYS_PER_WEEK
from bassplan.domain.region import Region
from bassplan.domain.results import Allocation, ServicePlan, Transport, TripTotals
from bassplan.domain.vocabulary import (
    C_ADMISSION,
    C_BED_DAY,
    C_DIALYSIS,
    M_STRENGTH_POSITION,
    V_CONSULTS,
    V_ROTATION,
    FloatArray,
    IntArray,
)
from bassplan.model.allocate import ADMISSION, mean_over_seen, nearest_site
from bassplan.model.arrays import scatter_rows


def _pick(matrix: FloatArray, site: IntArray) -> FloatArray:
    """(S, A) matrix[a, site[s, a]] for an (A, J) matrix and an (S, A) site index."""
    picked: FloatArray = matrix[np.arange(matrix.shape[0])[None, :], site]
    return picked


def _to_team(team: IntArray, values: FloatArray) -> FloatArray:
    """(S, J) Σ values[s, k] over sites k whose team is j (``team`` (S, K), -1 skipped)."""
    n_specialties, n_sites = team.shape
    keep = team >= 0
    flat = (np.arange(n_specialties)[:, None] * n_sites + np.where(keep, team, 0)).ravel()
    weights = np.where(keep, values, 0.0).ravel()
    summed = np.bincount(flat, weights=weights, minlength=team.size)
    result: FloatArray = np.asarray(summed, dtype=np.float64).reshape(n_specialties, n_sites)
    return result


def rotation_hours(region: Region, allocation: Allocation) -> FloatArray:
    """(S, J) specialist hours/year of inpatient work (admissions, bed days) at each acute
    site that specialists rotating from the serving strength position cover."""
    inpatient = allocation.contacts[:, :, [C_ADMISSION, C_BED_DAY], M_STRENGTH_POSITION]
    minutes = region.workload.minutes[:, [C_ADMISSION, C_BED_DAY]]  # (S, 2)
    hours = np.einsum("sjc,sc->sj", inpatient, minutes) / MINUTES_PER_HOUR
    return np.where(allocation.inpatient_cover == V_ROTATION, hours, 0.0)


def _staff_trips(
    region: Region, plan: ServicePlan, allocation: Allocation
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(S, J) round trips per year from each serving team to each site: outreach clinic
    days, on-site consult visits to an acute site where general internal medicine admits,
    and rotation days (one trip per working day of inpatient work) at an acute site its
    rotating specialists cover."""
    params = region.parameters
    outreach_trips = plan.outreach_days_per_week * params.clinic_weeks_per_year
    consult_trips = np.where(allocation.inpatient_cover == V_CONSULTS,
                             allocation.consults_on_site / params.consults_per_visit, 0.0)
    day_hours = params.hours_per_week / WORKING_DAYS_PER_WEEK
    return outreach_trips, consult_trips, rotation_hours(region, allocation) / day_hours


def staff_travel(
    region: Region, plan: ServicePlan, allocation: Allocation, site_km: FloatArray,
    site_minutes: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(S, J) staff km and hours per year charged to each travelling team, and (S, J) the
    outreach clinic round trips per site."""
    outreach_trips, consult_trips, rotation_trips = _staff_trips(region, plan, allocation)
    trips = outreach_trips + consult_trips + rotation_trips
    serving = plan.serving_team
    km = _staff_cost(trips, serving, site_km)
    hours = _staff_cost(trips, serving, site_minutes) / MINUTES_PER_HOUR
    return km, hours, outreach_trips


def _staff_cost(trips: FloatArray, serving: IntArray, site_cost: FloatArray) -> FloatArray:
    """(S, J) round-trip cost (km or minutes) per year charged to the travelling team."""
    teams = np.where(serving >= 0, serving, 0)
    one_way = site_cost[teams, np.arange(serving.shape[1])[None, :]]  # (S, K) team → site
    return _to_team(serving, trips * 2.0 * one_way)


def _seen_pairs(in_person: FloatArray, share: FloatArray, km: FloatArray, minutes: FloatArray
                ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(S, K) round trips, one-way km and minutes of every (area, site) pair that sees a
    specialty's in-person visits, packed per specialty (K: the most pairs any has; the
    padding has no trips). Few pairs per area, so this is about (S, A), not (S, A, J)."""
    s_idx, a_idx, j_idx = np.nonzero(share > 0)
    counts = np.bincount(s_idx, minlength=share.shape[0])
    width = max(int(counts.max(initial=0)), 1)
    pos = np.arange(s_idx.size) - np.repeat(np.cumsum(counts) - counts, counts)
    trips, one_way_km, one_way_minutes = (np.zeros((share.shape[0], width)) for _ in range(3))
    trips[s_idx, pos] = in_person[s_idx, a_idx] * share[s_idx, a_idx, j_idx]
    one_way_km[s_idx, pos] = km[a_idx, j_idx]
    one_way_minutes[s_idx, pos] = minutes[a_idx, j_idx]
    return trips, one_way_km, one_way_minutes


def fleet_g_co2_per_km(region: Region, year: int) -> float:
    """The car fleet's grams of CO2 per km in ``year``: the region's fleet table (the latest
    year at or before, the first year before it), else the ``co2_g_per_km`` parameter."""
    table = region.fleet_co2
    if not table:
        return region.parameters.co2_g_per_km
    years = sorted(table)
    known = [y for y in years if y <= year]
    return float(table[known[-1] if known else years[0]])


def _reimbursed_dkk(trips: FloatArray, one_way_km: FloatArray, region: Region) -> FloatArray:
    """(S,) DKK the region reimburses for ``trips`` (S, A) round trips of ``one_way_km``
    ((S, A) or (A,)) at the per-km rate: every trip beyond the threshold; nearer, the
    pensioners' share of the trips whose round trip costs more than their minimum."""
    params = region.parameters
    km = np.broadcast_to(one_way_km, trips.shape)
    round_trip_dkk = 2.0 * km * params.reimbursement_dkk_per_km
    share = np.where(km > params.reimbursement_threshold_km, 1.0,
                     np.where(round_trip_dkk > params.pensioner_minimum_dkk,
                              params.pensioner_share, 0.0))
    return np.asarray((trips * round_trip_dkk * share).sum(axis=1), dtype=np.float64)


def _trips(region: Region, trips: FloatArray, one_way_km: FloatArray,
           one_way_minutes: FloatArray, g_per_km: float) -> TripTotals:
    """Totals per specialty (S,) of ``trips`` (S, A) patient round trips."""
    km = 2.0 * (trips * one_way_km).sum(axis=1)
    return TripTotals(
        km=km,
        hours=2.0 * (trips * one_way_minutes).sum(axis=1) / MINUTES_PER_HOUR,
        co2_kg=km * g_per_km / 1000.0,
        dkk=_reimbursed_dkk(trips, one_way_km, region),
    )


def _dialysis(region: Region, allocation: Allocation, demand: FloatArray, minutes: FloatArray,
              km: FloatArray, g_per_km: float) -> TripTotals:
    """Dialysis round trips (one per session) to the unit each area uses: km, hours, CO2,
    and the region's cost — Flexpatient for its share, reimbursement for the rest."""
    sessions = demand[:, :, C_DIALYSIS].T  # (S, A)
    unit = np.maximum(allocation.dialysis_at, 0)
    areas = np.arange(km.shape[0])
    one_way_km, one_way_min = km[areas, unit], minutes[areas, unit]
    totals = _trips(region, sessions, one_way_km, one_way_min, g_per_km)
    params = region.parameters
    flex = params.dialysis_flexpatient_share
    flex_dkk = 2.0 * sessions.sum(axis=1) * flex * params.flexpatient_dkk_per_trip
    own = _reimbursed_dkk(sessions * (1.0 - flex), one_way_km, region)
    return TripTotals(totals.km, totals.hours, totals.co2_kg, flex_dkk + own)


def assess_transport(
    region: Region,
    plan: ServicePlan,
    allocation: Allocation,
    demand: FloatArray,
    minutes: FloatArray,
    km: FloatArray,
    site_minutes: FloatArray,
    site_km: FloatArray,
    year: int,
) -> Transport:
    """Patient and staff transport per year in ``year``, with what digital contacts, PRO
    follow-up and outreach save."""
    split = allocation.outpatient
    share = allocation.outpatient_share  # (S, A, J)
    in_person = split.in_person.sum(axis=-1).T  # (S, A) visits wanted
    digital = split.digital.sum(axis=-1).T
    admissions = demand[:, :, ADMISSION].T
    areas = np.arange(km.shape[0])
    admit_km = km[areas, allocation.admitted_at]
    admit_minutes = minutes[areas, allocation.admitted_at]
    # an area's visit: the mean over the sites that see it (its own point if none does)
    visit_km, visit_minutes = mean_over_seen(allocation, km), mean_over_seen(allocation, minutes)

    g_per_km = fleet_g_co2_per_km(region, year)
    # visits seen: one round trip per (area, site) pair, so the reimbursement threshold
    # applies to each trip's own distance
    n_specialties, _, n_sites = share.shape
    pair_trips, pair_km, pair_minutes = _seen_pairs(in_person, share, km, minutes)
    visits = _trips(region, pair_trips, pair_km, pair_minutes, g_per_km)
    stays = _trips(region, admissions, admit_km[None, :], admit_minutes[None, :], g_per_km)
    dialysis = _dialysis(region, allocation, demand, minutes, km, g_per_km)
    pro = split.follow_ups_avoided.T  # (S, A) visits PRO answers replace

    staff_km, staff_hours, outreach_trips = staff_travel(region, plan, allocation, site_km,
                                                          site_minutes)
    patient_km = visits.km + stays.km
    co2_kg = (patient_km + dialysis.km + staff_km.sum(axis=1)) * g_per_km / 1000.0

    # outreach: patients seen at a clinic would otherwise go to their nearest strength
    # position; each clinic's saving is net of the km its specialists drive to it
    serving = plan.serving_team
    nearest_strength = np.stack(
        [nearest_site(minutes, plan.strength_position[s]) for s in range(n_specialties)]
    )
    strength_km = _pick(km, np.where(nearest_strength >= 0, nearest_strength, 0))  # (S, A)
    at_outreach = ~plan.strength_position  # (S, J)
    extra_km = strength_km[:, :, None] - km[None, :, :]  # (S, A, J)
    gross = np.einsum("sa,saj,saj->sj", 2.0 * in_person, share, extra_km) * at_outreach
    held_at = np.take_along_axis(serving, allocation.outpatient_at, axis=1)  # digital: team
    saved_digital = scatter_rows(2.0 * digital * visit_km, held_at, n_sites)
    teams = np.where(serving >= 0, serving, 0)
    clinic_km = outreach_trips * 2.0 * site_km[teams, np.arange(n_sites)[None, :]]

    return Transport(
        patient_km=patient_km,
        patient_hours=visits.hours + stays.hours,
        patient_dkk=visits.dkk + stays.dkk,
        dialysis=dialysis,
        staff_km=staff_km,
        staff_hours=staff_hours,
        co2_kg=co2_kg,
        g_co2_per_km=g_per_km,
        saved_km_digital_at=saved_digital,
        saved_km_outreach_at=gross - clinic_km,
        saved_digital=_trips(region, digital, visit_km, visit_minutes, g_per_km),
        saved_pro=_trips(region, pro, visit_km, visit_minutes, g_per_km),
    )
