"""Transport: patient and staff round trips per year, their CO2, and the patient km that
digital contacts and outreach clinics save (architecture.md, stage 6)."""

from __future__ import annotations

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.region import Region
from bassplan.domain.results import Allocation, ServicePlan, Transport
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.model.allocate import ADMISSION, nearest_site
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


def _staff_trips(
    region: Region, plan: ServicePlan, allocation: Allocation
) -> tuple[FloatArray, FloatArray]:
    """(S, J) round trips per year from each serving team to each site: outreach clinic
    days and on-site consult visits to an acute site without a team of its own."""
    outreach_trips = plan.outreach_days_per_week * region.parameters.clinic_weeks_per_year
    has_team = plan.team.specialist_fte > 0
    consult_trips = np.where(
        has_team, 0.0, allocation.consults_on_site / region.parameters.consults_per_visit
    )
    return outreach_trips, consult_trips


def _staff_cost(trips: FloatArray, serving: IntArray, site_cost: FloatArray) -> FloatArray:
    """(S, J) round-trip cost (km or minutes) per year charged to the travelling team."""
    teams = np.where(serving >= 0, serving, 0)
    one_way = site_cost[teams, np.arange(serving.shape[1])[None, :]]  # (S, K) team → site
    return _to_team(serving, trips * 2.0 * one_way)


def assess_transport(
    region: Region,
    plan: ServicePlan,
    allocation: Allocation,
    demand: FloatArray,
    minutes: FloatArray,
    km: FloatArray,
    site_minutes: FloatArray,
    site_km: FloatArray,
) -> Transport:
    """Patient and staff transport per year, with what digital contacts and outreach save."""
    split = allocation.outpatient
    in_person = split.in_person.sum(axis=-1).T  # (S, A)
    digital = split.digital.sum(axis=-1).T
    admissions = demand[:, :, ADMISSION].T
    areas = np.arange(km.shape[0])
    admit_km = km[areas, allocation.admitted_at]
    admit_minutes = minutes[areas, allocation.admitted_at]
    visit_km = _pick(km, allocation.outpatient_at)
    visit_minutes = _pick(minutes, allocation.outpatient_at)

    patient_km = 2.0 * (in_person * visit_km + admissions * admit_km[None, :]).sum(axis=1)
    patient_hours = 2.0 * (in_person * visit_minutes + admissions * admit_minutes[None, :])
    patient_hours = patient_hours.sum(axis=1) / MINUTES_PER_HOUR

    outreach_trips, consult_trips = _staff_trips(region, plan, allocation)
    serving = plan.serving_team
    staff_km = _staff_cost(outreach_trips, serving, site_km) + _staff_cost(
        consult_trips, serving, site_km)
    staff_hours = (
        _staff_cost(outreach_trips, serving, site_minutes)
        + _staff_cost(consult_trips, serving, site_minutes)
    ) / MINUTES_PER_HOUR

    co2_kg = (patient_km + staff_km.sum(axis=1)) * region.parameters.co2_g_per_km / 1000.0

    # outreach: patients seen at a clinic would otherwise go to their nearest strength
    # position; each clinic's saving is net of the km its specialists drive to it
    at_outreach = ~np.take_along_axis(plan.strength_position, allocation.outpatient_at, axis=1)
    nearest_strength = np.stack(
        [nearest_site(minutes, plan.strength_position[s]) for s in range(in_person.shape[0])]
    )
    extra_km = _pick(km, np.where(nearest_strength >= 0, nearest_strength, 0)) - visit_km
    n_sites = plan.strength_position.shape[1]
    held_at = np.take_along_axis(serving, allocation.outpatient_at, axis=1)  # digital: team
    saved_digital = scatter_rows(2.0 * digital * visit_km, held_at, n_sites)
    gross = scatter_rows(2.0 * in_person * extra_km * at_outreach, allocation.outpatient_at,
                         n_sites)
    teams = np.where(serving >= 0, serving, 0)
    clinic_km = outreach_trips * 2.0 * site_km[teams, np.arange(n_sites)[None, :]]

    return Transport(
        patient_km=patient_km,
        patient_hours=patient_hours,
        staff_km=staff_km,
        staff_hours=staff_hours,
        co2_kg=co2_kg,
        saved_km_digital_at=saved_digital,
        saved_km_outreach_at=gross - clinic_km,
    )
